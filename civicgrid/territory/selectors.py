"""Every read of the territory takes the actor and stays inside its jurisdiction (a code prefix).
Anything outside answers NotFound, never PermissionDenied. Ancestors of the actor's own region are
returned only as breadcrumbs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from civicgrid.core.errors import NotFound
from civicgrid.core.scoping import ScopedQuerySet, area_of, covers, ensure_covers
from civicgrid.territory import geometry as geo
from civicgrid.territory.divisions import ancestor_codes
from civicgrid.territory.models import Place, Region


def _clean_query(q: str | None) -> str:
    """Search text without NUL characters (PostgreSQL refuses them) and surrounding spaces."""
    return (q or "").replace("\x00", "").strip()


def visible_regions(actor) -> ScopedQuerySet:
    return Region.objects.visible_to(actor)


def visible_places(actor) -> ScopedQuerySet:
    return Place.objects.visible_to(actor)


def get_region(*, actor, code: str) -> Region:
    region = visible_regions(actor).filter(code=code).select_related("parent").first()
    if region is None:
        raise NotFound()
    return region


def top_region(*, actor) -> Region | None:
    """The region the browser opens on: the actor's own, or the first root for an administrator."""
    prefix = area_of(actor)
    if prefix is None:
        return None
    if prefix == "":
        return Region.objects.filter(parent__isnull=True).order_by("code").first()
    return Region.objects.filter(code=prefix).first()


def list_regions(*, actor, level: str | None = None, parent: str | None = None,
                 q: str | None = None) -> QuerySet[Region]:
    regions = visible_regions(actor).defer("boundary").select_related("parent")
    if level:
        regions = regions.filter(level=level)
    if parent:
        regions = regions.filter(parent=get_region(actor=actor, code=parent))
    q = _clean_query(q)
    if q:
        regions = regions.filter(Q(name__icontains=q) | Q(code__startswith=q))
    return regions.order_by("code")


def children(*, actor, region: Region) -> QuerySet[Region]:
    ensure_covers(actor, region.code)
    return Region.objects.filter(parent=region).order_by("code")


@dataclass(frozen=True)
class Crumb:
    code: str
    name: str
    level: str
    linked: bool  # inside the actor's jurisdiction, so its page can be opened


def breadcrumbs(*, actor, region: Region) -> list[Crumb]:
    """District → … → region. Ancestors above the actor's jurisdiction come without a link."""
    codes = ancestor_codes(region.code)
    found = {r.code: r for r in Region.objects.filter(code__in=codes).only("code", "name", "level")}
    return [Crumb(code, found[code].name, found[code].level, covers(actor, code)) for code in codes if code in found]


def region_properties(region: Region) -> dict:
    return {"code": region.code, "name": region.name, "level": region.level, "population": region.population,
            "households": region.households, "area_km2": region.area_km2, "generated": region.boundary_generated}


def children_geojson(*, actor, code: str) -> dict:
    """The children of a region as a FeatureCollection (features without a boundary have geometry null)."""
    region = get_region(actor=actor, code=code)
    return geo.feature_collection(geo.feature(child.boundary, region_properties(child))
                                  for child in children(actor=actor, region=region))


def list_places(*, actor, region: str | None = None, kind: str | None = None,
                q: str | None = None) -> QuerySet[Place]:
    places = visible_places(actor)
    if region:
        get_region(actor=actor, code=region)
        places = places.within(region)
    if kind:
        places = places.filter(kind=kind)
    q = _clean_query(q)
    if q:
        places = places.filter(Q(name__icontains=q) | Q(address__icontains=q))
    return places.order_by("region_code", "name", "id")


def get_place(*, actor, place_id: int) -> Place:
    place = visible_places(actor).filter(id=place_id).first()
    if place is None:
        raise NotFound()
    return place


def places_geojson(places) -> dict:
    return geo.feature_collection(
        geo.feature({"type": "Point", "coordinates": [p.lon, p.lat]},
                    {"id": p.id, "name": p.name, "kind": p.kind, "kind_label": str(p.get_kind_display()),
                     "households": p.households, "population": p.population, "generated": p.geometry_generated})
        for p in places)



def district_codes() -> list[str]:
    """Codes of the districts (the roots of the Region tree) for code acting for the whole system."""
    from civicgrid.territory.models import Level

    return list(Region.objects.filter(level=Level.DISTRICT).order_by("code").values_list("code", flat=True))


def compounds(*, district_code: str) -> list[dict]:
    """Residential compounds of a district for a base map: the outline (GeoJSON) when known, else the point.
    Shapes only, no names or figures: place records are scoped, their shape is what any street map shows."""
    from civicgrid.territory.models import RESIDENTIAL_KINDS

    rows = Place.objects.within(district_code).filter(kind__in=RESIDENTIAL_KINDS).order_by("id")
    return [geometry or {"type": "Point", "coordinates": [lon, lat]}
            for geometry, lon, lat in rows.values_list("geometry", "lon", "lat")]


def street_lines(*, district_code: str) -> list[dict]:
    """[{"name", "coordinates"}] of the district's named streets (the address-search registry): street names are
    public, as on any street sign."""
    from civicgrid.territory.models import Street

    rows = Street.objects.within(district_code).order_by("id").values_list("name", "geometry")
    return [{"name": name, "coordinates": geometry["coordinates"]} for name, geometry in rows
            if geometry and geometry.get("type") == "LineString"]


def region_shapes(*, district_code: str) -> list[tuple[str, str, str, dict]]:
    """(code, name, level, boundary) of every region of a district with a boundary: administrative divisions
    are public, their names label a base map."""
    return list(Region.objects.within(district_code).filter(boundary__isnull=False).order_by("code")
                .values_list("code", "name", "level", "boundary"))


def place_names(*, grid_code: str) -> dict:
    """The grid, community and subdistrict names of a grid code (public administrative divisions)."""
    codes = [grid_code[:9], grid_code[:12], grid_code]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return {"grid": names.get(grid_code, ""), "community": names.get(grid_code[:12], ""),
            "subdistrict": names.get(grid_code[:9], ""), "grid_code": grid_code}
