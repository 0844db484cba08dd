"""Reads shared by the API and the pages that go through the engine: isochrones and the new-compound check."""

from __future__ import annotations

import math

from civicgrid.core.errors import DomainError, NotFound
from civicgrid.core.scoping import area_of
from civicgrid.servicecircle import analysis, engine, selectors, services


def place_isochrone(*, actor, place_id: int, minutes=(5, 10, 15), run_id: int | None = None) -> dict:
    """Isochrones around a place, at the walking speed and snap limit of a run when one is given."""
    place = selectors.get_place(actor=actor, place_id=place_id)
    speed, snap = engine.WALK_SPEED_M_S, services.DEFAULT_SNAP_LIMIT_M
    if run_id is not None:
        run = selectors.get_run(actor=actor, run_id=run_id)
        speed, snap = run.walk_speed_m_s, run.snap_limit_m
    return analysis.isochrone_geojson(district_code=place.region_code[:6], lon=place.lon, lat=place.lat,
                                      minutes=minutes, speed_m_s=speed, snap_limit_m=snap, geometry=place.geometry,
                                      gates=place.gates)


def place_check(*, actor, place_id: int) -> dict:
    """The new-compound check for a compound already recorded in the territory (e.g. one just added)."""
    place = selectors.get_place(actor=actor, place_id=place_id)
    return {**compound_check(actor=actor, lon=place.lon, lat=place.lat, population=place.population,
                             district_code=place.region_code[:6], geometry=place.geometry, gates=place.gates),
            "place": place}


def compound_check(*, actor, lon: float, lat: float, population: int, district_code: str = "110107",
                   geometry=None, gates=None) -> dict:
    """Distances from a (planned) compound to the nearest facility of every active category, and the gaps."""
    prefix = area_of(actor)
    if prefix is None:
        raise NotFound()
    district = prefix[:6] if prefix else district_code
    categories = list(selectors.categories(active_only=True))
    specs = [analysis.CategorySpec(c.code, float(c.walk_distance_m)) for c in categories]
    result = analysis.check_compound(district_code=district, lon=lon, lat=lat, population=population,
                                     categories=specs, snap_limit_m=services.DEFAULT_SNAP_LIMIT_M,
                                     geometry=geometry, gates=gates)
    names = {c.code: c.label for c in categories}
    return {
        "snapped": result.snapped,
        "snap_distance_m": round(result.snap_distance_m, 1),
        "distances": {c: (round(d, 1) if math.isfinite(d) else None) for c, d in result.distance_m.items()},
        "missing": list(result.missing),
        "missing_names": [names[c] for c in result.missing],
        "population_affected": result.population_affected,
        "categories": categories,
    }


def site_reaches(*, rec, sites: list) -> dict:
    """The recommendation's sites for the map, each with the area it newly serves: its walking reach within the
    category's distance (at the run's speed) and the residents it newly covers."""
    run, category = rec.run, rec.category
    minutes = category.walk_distance_m / (run.walk_speed_m_s * 60)
    features = []
    for site in sites:
        reach = None
        try:
            collection = analysis.isochrone_geojson(district_code=rec.region_code[:6], lon=site.lon, lat=site.lat,
                                                    minutes=(minutes,), speed_m_s=run.walk_speed_m_s,
                                                    snap_limit_m=run.snap_limit_m)
            reach = next((f["geometry"] for f in collection["features"] if f["geometry"]), None)
        except DomainError:  # the network was replaced or removed since: the site is still drawn
            reach = None
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [site.lon, site.lat]},
                         "properties": {"rank": site.rank, "label": site.label, "gain": round(site.gain),
                                        "reach": reach}})
    return {"type": "FeatureCollection", "features": features, "distance_m": category.walk_distance_m}
