"""Every write to the territory: keyword-only, one transaction each, an audit event inside."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import shapely
from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from civicgrid.core import audit
from civicgrid.core.errors import Conflict, NotFound, ValidationFailed
from civicgrid.core.scoping import covers
from civicgrid.territory import geometry as geo
from civicgrid.territory import locate
from civicgrid.territory.divisions import DivisionRow, ancestor_codes, parse_divisions
from civicgrid.territory.models import CODE_LENGTH, Level, Place, PlaceKind, Region, Street

BOUNDARY_TOLERANCE_DEG = 1e-7  # about 1 cm: a child may touch its parent's edge


# --- helpers ---

def _ensure_may_edit(actor, code: str) -> None:
    """System calls (actor None) may edit anything; a user only inside its jurisdiction (else 404)."""
    if actor is not None and not covers(actor, code):
        raise NotFound()


def _resolve(region: Region | str, level: str, field: str) -> Region:
    found = region if isinstance(region, Region) else Region.objects.filter(code=str(region)).first()
    if found is None:
        raise NotFound(field=field)
    if found.level != level:
        raise ValidationFailed(_("The region has the wrong level."), code="wrong_level", field=field)
    return found


def _read_text(source) -> str:
    if hasattr(source, "read"):
        data = source.read()
        return data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    return Path(source).read_text(encoding="utf-8-sig")


def _invalidate_index_on_commit() -> None:
    transaction.on_commit(locate.invalidate)


def _apply_boundary(region: Region, geom, generated: bool) -> bool:
    """Set the boundary and its derived fields; bump geometry_version when the geometry changed."""
    boundary = geo.to_geojson(geom)
    changed = boundary != region.boundary
    region.boundary = boundary
    region.boundary_generated = generated
    region.center_lon, region.center_lat = geo.center(geom)
    region.area_km2 = round(geo.area_km2(geom), 6)
    if changed:
        region.geometry_version += 1
    return changed


# --- divisions ---

@transaction.atomic
def import_divisions(*, actor, source) -> dict:
    """Import region codes and names from a CSV `code,name,level,parent_code` (levels district, street
    (= subdistrict), community, grid). Every row is checked first; on any problem nothing is written and
    ValidationFailed(code="invalid_divisions") lists them all. Re-importing updates names."""
    rows, problems = parse_divisions(_read_text(source), known=_known_codes)
    for row in rows:
        if actor is not None and not covers(actor, row.code):
            problems.append({"row": row.line, "column": "code", "problem": _("outside your jurisdiction")})
    if problems:
        raise ValidationFailed(_("The divisions file has errors; nothing was imported."),
                               code="invalid_divisions", details=sorted(problems, key=lambda p: p["row"]))
    summary = _write_divisions(rows)
    audit.record(actor=actor, action="territory.divisions.import", target_type="territory.region",
                 region_code=min((r.code for r in rows), key=len, default=""), detail=summary)
    return summary


def _known_codes(codes: set[str]) -> set[str]:
    return set(Region.objects.filter(code__in=codes).values_list("code", flat=True))


def _write_divisions(rows: list[DivisionRow]) -> dict:
    existing = {r.code: r for r in Region.objects.filter(code__in=[row.code for row in rows])}
    parents = {r.code: r for r in Region.objects.filter(code__in=[row.parent_code for row in rows])}
    created = updated = 0
    for level in (Level.DISTRICT, Level.SUBDISTRICT, Level.COMMUNITY, Level.GRID):
        level_rows = [row for row in rows if row.level == level]
        renamed = [existing[row.code] for row in level_rows
                   if row.code in existing and existing[row.code].name != row.name]
        for region in renamed:
            region.name = next(row.name for row in level_rows if row.code == region.code)
        Region.objects.bulk_update(renamed, ["name"])
        new = [Region(code=row.code, name=row.name, level=level,
                      parent=parents.get(row.parent_code) if level != Level.DISTRICT else None)
               for row in level_rows if row.code not in existing]
        for region in Region.objects.bulk_create(new):
            parents[region.code] = region
        for region in existing.values():
            parents.setdefault(region.code, region)
        created, updated = created + len(new), updated + len(renamed)
    return {"created": created, "updated": updated, "unchanged": len(rows) - created - updated}


# --- boundaries ---

def _load_geojson(source) -> dict:
    if isinstance(source, dict):
        return source
    try:
        return json.loads(_read_text(source))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationFailed(_("The file is not valid GeoJSON."), code="invalid_geojson",
                               details=[{"row": 0, "column": "file", "problem": str(exc)}]) from exc


def _features(data) -> list:
    if isinstance(data, dict) and data.get("type") == "Feature":
        return [data]
    if isinstance(data, dict) and data.get("type") == "FeatureCollection" and isinstance(data.get("features"), list):
        return data["features"]
    raise ValidationFailed(_("Expected a GeoJSON FeatureCollection."), code="invalid_geojson",
                           details=[{"row": 0, "column": "type", "problem": "not a FeatureCollection"}])


def _check_feature(row: int, item, seen: dict, regions: dict, actor, skip_unknown: bool):
    """(code, geometry) of a usable feature, None for a skipped one; problems are appended to `found`."""
    found: list[dict] = []
    properties = item.get("properties") if isinstance(item, dict) else None
    code = str((properties or {}).get("code") or "").strip()
    if not code:
        found.append({"row": row, "column": "code", "problem": _("property 'code' is missing")})
    elif code in seen:
        found.append({"row": row, "column": "code", "problem": _("duplicate code, first in feature %(row)s")
                      % {"row": seen[code]}})
    elif code not in regions or (actor is not None and not covers(actor, code)):
        if skip_unknown:
            return None, []
        found.append({"row": row, "column": "code", "problem": _("no region with code %(code)s") % {"code": code}})
    if code:
        seen.setdefault(code, row)
    try:
        geom = geo.from_geojson(item.get("geometry") or {}) if isinstance(item, dict) else None
    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        geom = None
        found.append({"row": row, "column": "geometry", "problem": _("unreadable geometry: %(error)s")
                      % {"error": exc}})
    if geom is None and not any(p["column"] == "geometry" for p in found):
        found.append({"row": row, "column": "geometry", "problem": _("geometry is missing")})
    elif geom is not None:
        found += [{"row": row, "column": "geometry", "problem": p} for p in geo.geometry_problems(geom)]
    return (code, geom), found


@transaction.atomic
def import_boundaries(*, actor, geojson, generated: bool = False, skip_unknown: bool = False) -> dict:
    """Set region boundaries from a GeoJSON FeatureCollection keyed by the property `code`. Every feature is
    checked first (code known and unique, Polygon/MultiPolygon, valid, lon/lat range); on any problem nothing
    is written and ValidationFailed(code="invalid_boundaries") lists them with their feature number."""
    features = _features(_load_geojson(geojson))
    codes = {str((f.get("properties") or {}).get("code") or "") for f in features if isinstance(f, dict)}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    seen: dict[str, int] = {}
    accepted, problems = [], []
    for row, item in enumerate(features, start=1):
        result, found = _check_feature(row, item, seen, regions, actor, skip_unknown)
        problems += found
        if result is not None and not found:
            accepted.append(result)
    if problems:
        raise ValidationFailed(_("The boundaries file has errors; nothing was imported."),
                               code="invalid_boundaries", details=problems)
    changed = [regions[code] for code, geom in accepted if _apply_boundary(regions[code], geom, generated)]
    Region.objects.bulk_update([regions[code] for code, _geom in accepted],
                               ["boundary", "boundary_generated", "center_lon", "center_lat", "area_km2",
                                "geometry_version"])
    summary = {"updated": len(accepted), "geometry_changed": len(changed), "skipped": len(features) - len(accepted)}
    audit.record(actor=actor, action="territory.boundaries.import", target_type="territory.region",
                 detail={**summary, "generated": generated})
    _invalidate_index_on_commit()
    return summary


def _checked_shape(boundary, field: str = "boundary"):
    try:
        geom = geo.from_geojson(boundary)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        raise ValidationFailed(_("The boundary is not readable GeoJSON."), code="invalid_geometry",
                               field=field) from exc
    problems = geo.geometry_problems(geom)
    if problems:
        raise ValidationFailed(_("The boundary is not a valid polygon."), code="invalid_geometry", field=field,
                               details=[{"row": 1, "column": field, "problem": p} for p in problems])
    return geom


def _ensure_inside_parent(region_parent: Region | None, geom) -> None:
    if region_parent is None or not region_parent.boundary:
        return
    outer = geo.from_geojson(region_parent.boundary).buffer(BOUNDARY_TOLERANCE_DEG)
    if not outer.covers(geom):
        raise ValidationFailed(_("The boundary extends outside its parent region."), code="outside_parent",
                               field="boundary")


@transaction.atomic
def set_boundary(*, actor, region: Region | str, boundary: dict, generated: bool = False) -> Region:
    """Replace one region's boundary (it must lie inside its parent's boundary, when that has one)."""
    target = region if isinstance(region, Region) else Region.objects.filter(code=str(region)).first()
    if target is None:
        raise NotFound(field="region")
    _ensure_may_edit(actor, target.code)
    geom = _checked_shape(boundary)
    _ensure_inside_parent(target.parent, geom)
    if _apply_boundary(target, geom, generated):
        target.save(update_fields=["boundary", "boundary_generated", "center_lon", "center_lat", "area_km2",
                                   "geometry_version"])
        audit.record(actor=actor, action="territory.region.boundary", target=target, region_code=target.code,
                     detail={"geometry_version": target.geometry_version, "generated": generated})
        _invalidate_index_on_commit()
    return target


# --- grids and places ---

def _next_grid_code(community: Region) -> str:
    codes = Region.objects.filter(parent=community, level=Level.GRID).values_list("code", flat=True)
    used = [int(code[-3:]) for code in codes]
    sequence = max(used, default=0) + 1
    if sequence > 999:
        raise Conflict(_("The community has no free grid number left."), code="grid_codes_exhausted")
    return f"{community.code}{sequence:03d}"


def _clean_name(name: str, field: str = "name") -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("A name is required."), code="required", field=field)
    return name


@transaction.atomic
def create_grid(*, actor, community: Region | str, name: str, boundary: dict | None = None,
                code: str | None = None, generated: bool = False) -> Region:
    """Add a grid (15-digit code = community code + 3-digit sequence) to a community."""
    parent = _resolve(community, Level.COMMUNITY, "community")
    _ensure_may_edit(actor, parent.code)
    code = code or _next_grid_code(parent)
    if len(code) != CODE_LENGTH[Level.GRID] or not code.isdigit() or not code.startswith(parent.code):
        raise ValidationFailed(_("A grid code is the community code followed by three digits."),
                               code="invalid_code", field="code")
    if Region.objects.filter(code=code).exists():
        raise Conflict(_("A region with this code already exists."), code="duplicate_code", field="code")
    grid = Region(code=code, name=_clean_name(name), level=Level.GRID, parent=parent)
    if boundary is not None:
        geom = _checked_shape(boundary)
        _ensure_inside_parent(parent, geom)
        _apply_boundary(grid, geom, generated)
    grid.full_clean()
    grid.save()
    audit.record(actor=actor, action="territory.grid.create", target=grid, region_code=grid.code)
    _invalidate_index_on_commit()
    return grid


def _check_point(grid: Region, lon: float, lat: float) -> None:
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationFailed(_("Longitude must be within ±180 and latitude within ±90."),
                               code="invalid_coordinates", field="lon")
    if grid.boundary and not geo.from_geojson(grid.boundary).buffer(BOUNDARY_TOLERANCE_DEG).covers(
            shapely.Point(lon, lat)):
        raise ValidationFailed(_("The point lies outside the grid's boundary."), code="point_outside_grid",
                               field="lon")


@transaction.atomic
def create_place(*, actor, grid: Region | str, name: str, kind: str, lon: float, lat: float,
                 households: int = 0, population: int = 0, address: str = "", geometry: dict | None = None,
                 built_year: int | None = None, generated: bool = False, gates: list | None = None) -> Place:
    """Add a place to a grid; its point must be inside the grid's boundary when the grid has one. The
    grid's and its ancestors' population and households grow by the place's."""
    target = _resolve(grid, Level.GRID, "grid")
    _ensure_may_edit(actor, target.code)
    if kind not in PlaceKind.values:
        raise ValidationFailed(_("Unknown kind of place."), code="invalid_kind", field="kind")
    if households < 0 or population < 0:
        raise ValidationFailed(_("Counts cannot be negative."), code="invalid_count", field="households")
    _check_point(target, float(lon), float(lat))
    outline = geo.to_geojson(_checked_shape(geometry, "geometry")) if geometry else None
    place = Place(grid=target, region_code=target.code, name=_clean_name(name), kind=kind, lon=lon, lat=lat,
                  households=households, population=population, address=address.strip(), geometry=outline,
                  geometry_generated=generated, built_year=built_year)
    place.gates = checked_gates(place, gates or [])
    place.full_clean()
    place.save()
    Region.objects.filter(code__in=ancestor_codes(target.code)).update(
        population=F("population") + population, households=F("households") + households)
    audit.record(actor=actor, action="territory.place.create", target=place, region_code=target.code,
                 detail={"kind": kind, "households": households, "population": population})
    return place


@transaction.atomic
def recount_population(*, actor, region: Region | str) -> dict:
    """Recompute population and households of a region's subtree from its places (grids up to the root)."""
    root = region if isinstance(region, Region) else Region.objects.filter(code=str(region)).first()
    if root is None:
        raise NotFound(field="region")
    _ensure_may_edit(actor, root.code)
    totals: dict[str, list[int]] = {}
    sums = Place.objects.within(root.code).values("region_code").annotate(
        p=Sum("population"), h=Sum("households"))
    for row in sums:
        for code in ancestor_codes(row["region_code"]):
            if code.startswith(root.code):
                pair = totals.setdefault(code, [0, 0])
                pair[0] += row["p"] or 0
                pair[1] += row["h"] or 0
    subtree = list(Region.objects.within(root.code))
    for item in subtree:
        item.population, item.households = totals.get(item.code, [0, 0])
    Region.objects.bulk_update(subtree, ["population", "households"], batch_size=500)
    audit.record(actor=actor, action="territory.population.recount", target=root, region_code=root.code,
                 detail={"regions": len(subtree)})
    return {"regions": len(subtree), "population": totals.get(root.code, [0, 0])[0]}



# --- streets ---

def _street(district_code: str, name: str, coords, generated: bool, source: str) -> Street:
    name = (name or "").strip()
    if not 1 <= len(name) <= 100:
        raise ValidationFailed(code="invalid_street_name", field="name")
    line = shapely.LineString(coords)
    if line.is_empty or line.length == 0:
        raise ValidationFailed(code="invalid_street_geometry", field="geometry")
    middle = line.interpolate(0.5, normalized=True)
    return Street(name=name, region_code=district_code, geometry=geo.to_geojson(line), lon=middle.x, lat=middle.y,
                  generated=generated, source=source[:200])


@transaction.atomic
def replace_streets(*, actor, district_code: str, streets, generated: bool, source: str) -> int:
    """Replace the district's streets by `streets` ([(name, [(lon, lat), …]), …]); one audit event."""
    _ensure_may_edit(actor, district_code)
    made = [_street(district_code, name, coords, generated, source) for name, coords in streets]
    Street.objects.within(district_code).delete()
    Street.objects.bulk_create(made, batch_size=500)
    audit.record(actor=actor, action="territory.streets.replace", target_type="territory.street",
                 region_code=district_code, detail={"count": len(made), "source": source[:200],
                                                    "generated": generated})
    return len(made)


GATE_MAX_M = 30.0  # how far a recorded gate may lie from the place's outline (or, without one, its point: 300 m)
GATE_MAX_FROM_POINT_M = 300.0
MAX_GATES = 20


def checked_gates(place: Place, gates) -> list[list[float]]:
    """Gates as [[lon, lat], ...]: numbers, at most MAX_GATES, each on the place's outline (within GATE_MAX_M) or,
    for a place without one, near its point. ValidationFailed(field="gates") otherwise."""
    if not isinstance(gates, list | tuple) or len(gates) > MAX_GATES:
        raise ValidationFailed(_("Gates must be a list of at most %(n)d points.") % {"n": MAX_GATES},
                               code="invalid_gates", field="gates")
    points = []
    for gate in gates:
        try:
            lon, lat = (float(v) for v in gate)
        except (TypeError, ValueError):
            raise ValidationFailed(_("Each gate must be a pair of numbers: longitude, latitude."),
                                   code="invalid_gates", field="gates") from None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValidationFailed(_("Longitude must be within ±180 and latitude within ±90."),
                                   code="invalid_gates", field="gates")
        points.append([round(lon, 7), round(lat, 7)])
    far = [p for p in points if _gate_distance_m(place, p) > (GATE_MAX_M if place.geometry else GATE_MAX_FROM_POINT_M)]
    if far:
        raise ValidationFailed(_("A gate lies too far from the place's outline (%(m)d m at most).")
                               % {"m": GATE_MAX_M if place.geometry else GATE_MAX_FROM_POINT_M},
                               code="gate_too_far", field="gates")
    return points


def _gate_distance_m(place: Place, gate: list[float]) -> float:
    """Metres from a gate to the place's outline boundary (or point), on a local flat projection."""
    scale = 111_320.0 * np.cos(np.radians(gate[1]))
    shape = geo.from_geojson(place.geometry).boundary if place.geometry else shapely.Point(place.lon, place.lat)
    flat = shapely.transform(shape, lambda xy: np.column_stack([xy[:, 0] * scale, xy[:, 1] * 110_540.0]))
    return float(flat.distance(shapely.Point(gate[0] * scale, gate[1] * 110_540.0)))


@transaction.atomic
def set_place_gates(*, actor, place: Place | int, gates) -> Place:
    """Record where people walk in and out of a place (the service circle walks from them); audited."""
    target = place if isinstance(place, Place) else Place.objects.filter(pk=place).first()
    if target is None:
        raise NotFound(field="place")
    _ensure_may_edit(actor, target.region_code)
    before = list(target.gates or [])
    target.gates = checked_gates(target, gates)
    target.save(update_fields=["gates"])
    audit.record(actor=actor, action="territory.place.gates", target=target, region_code=target.region_code,
                 detail={"before": len(before), "after": len(target.gates)})
    return target


def import_place_gates(*, actor, source) -> dict:
    """Gates from a CSV `place_id,lon,lat` (one row per gate; a place's rows replace its recorded gates). Every row
    is checked first; on any problem nothing is written and ValidationFailed(code="invalid_gates") lists them."""
    import csv
    import io

    problems: list[dict] = []
    by_place: dict[int, list[list[float]]] = {}
    first_line: dict[int, int] = {}
    reader = csv.DictReader(io.StringIO(_read_text(source)))
    missing = {"place_id", "lon", "lat"} - set(reader.fieldnames or [])
    if missing:
        raise ValidationFailed(_("The gates file needs the columns place_id, lon, lat."), code="invalid_gates",
                               details=[{"row": 1, "column": c, "problem": _("missing column")}
                                        for c in sorted(missing)])
    for line, row in enumerate(reader, start=2):
        try:
            pid = int(row["place_id"])
            by_place.setdefault(pid, []).append([float(row["lon"]), float(row["lat"])])
            first_line.setdefault(pid, line)
        except (TypeError, ValueError):
            problems.append({"row": line, "column": "place_id", "problem": _("not a number")})
    problems.sort(key=lambda p: p["row"])
    places = {p.pk: p for p in Place.objects.filter(pk__in=list(by_place))}
    checked: dict[int, list[list[float]]] = {}
    for pid, gates in by_place.items():
        place = places.get(pid)
        if place is None or (actor is not None and not covers(actor, place.region_code)):
            problems.append({"row": first_line[pid], "column": "place_id", "problem": _("unknown place")})
            continue
        try:
            checked[pid] = checked_gates(place, gates)
        except ValidationFailed as exc:
            problems.append({"row": first_line[pid], "column": "lon", "problem": exc.message})
    if problems:
        raise ValidationFailed(_("The gates file has errors; nothing was imported."), code="invalid_gates",
                               details=problems)
    with transaction.atomic():
        for pid, gates in checked.items():
            set_place_gates(actor=actor, place=places[pid], gates=gates)
    return {"places": len(checked), "gates": sum(len(g) for g in checked.values())}
