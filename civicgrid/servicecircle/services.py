"""Every service-circle write: keyword-only functions, one transaction each, an audit event inside it.

Analyses and recommendations are created here and computed by tasks (enqueued on commit); the `execute_*`
functions are what the tasks call, idempotent (a finished run is left alone)."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
from pathlib import Path

import numpy as np
import shapely
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.models import Role
from civicgrid.core import audit
from civicgrid.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from civicgrid.core.scoping import area_of, covers
from civicgrid.servicecircle import analysis, engine
from civicgrid.servicecircle.errors import ImportFailed, NoNetwork, RunNotDone
from civicgrid.servicecircle.models import (
    AnalysisRun,
    Category,
    CommunityResult,
    Facility,
    Network,
    PlaceResult,
    Recommendation,
    RecommendedSite,
    Status,
)
from civicgrid.territory import geometry, locate
from civicgrid.territory.models import Level, Region

log = logging.getLogger(__name__)

PLANNER_ROLES = {Role.DISTRICT, Role.SUBDISTRICT, Role.COMMUNITY}
REFERENCE_PERMISSION = "servicecircle.change_category"
DEFAULT_SNAP_LIMIT_M = 150.0
MAX_POINTS = 200
MAX_P = 50


def can_plan(actor) -> bool:
    return area_of(actor) is not None and (actor.is_superuser or actor.role in PLANNER_ROLES)


def can_edit_reference(actor) -> bool:
    return bool(actor.is_authenticated and (actor.has_perm(REFERENCE_PERMISSION) or (
        actor.role == Role.DISTRICT and area_of(actor) is not None)))


def _ensure_planner(actor, region_code: str) -> None:
    if not covers(actor, region_code):
        raise NotFound()
    if not can_plan(actor):
        raise PermissionDenied()


def _region(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound(_("Unknown region."), code="unknown_region")
    return region


# --- reference data ---

CATEGORY_FIELDS = ("name", "name_en", "level", "walk_distance_m", "source", "active", "sort_order")


def update_category(*, actor, code: str, **changes) -> Category:
    """Change a category's reference values (any of CATEGORY_FIELDS); needs the reference permission."""
    if not can_edit_reference(actor):
        raise PermissionDenied()
    unknown = set(changes) - set(CATEGORY_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field."), code="unknown_field", field=sorted(unknown)[0])
    with transaction.atomic():
        category = Category.objects.select_for_update().filter(code=code).first()
        if category is None:
            raise NotFound()
        before = {f: getattr(category, f) for f in changes}
        for field, value in changes.items():
            if value is not None:
                setattr(category, field, value.strip() if isinstance(value, str) else value)
        _full_clean(category)
        category.save()
        audit.record(actor=actor, action="servicecircle.category.update", target=category,
                     detail={"before": before, "after": {f: getattr(category, f) for f in changes}})
    return category


def _full_clean(obj, exclude=None) -> None:
    from django.core.exceptions import ValidationError

    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        details = [{"field": f, "message": str(m)} for f, msgs in exc.message_dict.items() for m in msgs]
        raise ValidationFailed(details=details, field=details[0]["field"] if details else None) from exc


# --- facilities ---

def _category_lookup() -> dict[str, Category]:
    table: dict[str, Category] = {}
    for category in Category.objects.all():
        table[category.code] = category
        table[category.name] = category
    return table


def _region_for_point(lon: float, lat: float, district_code: str | None) -> str | None:
    code = locate.locate_code(lon, lat)
    if code:
        return code
    district = (Region.objects.filter(code=district_code, level=Level.DISTRICT).only("boundary").first()
                if district_code else None)
    if district is not None and district.boundary and geometry.from_geojson(district.boundary).contains(
            shapely.Point(lon, lat)):
        return district_code
    return None


FACILITY_FIELDS = ("category", "name", "lon", "lat", "capacity", "opening_hours", "operator", "external_id")


def _clean_row(row: dict, categories: dict[str, Category], actor, district_code: str | None) -> tuple[dict, list]:
    """A validated facility row, or the list of its errors ({field, code, message})."""
    problems: list[dict] = []

    def fail(field: str, code: str, message) -> None:
        problems.append({"field": field, "code": code, "message": str(message)})

    category = categories.get(str(row.get("category") or "").strip())
    if category is None:
        fail("category", "unknown_category", _("Unknown category."))
    name = " ".join(str(row.get("name") or "").split())[:200]
    if not name:
        fail("name", "required", _("Enter a name."))
    lon = lat = math.nan
    try:
        lon, lat = float(row.get("lon")), float(row.get("lat"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        fail("lon", "invalid_coordinates", _("Longitude and latitude must be numbers."))
    numeric = all(p["field"] != "lon" for p in problems)
    if numeric and not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        fail("lon", "invalid_coordinates", _("Longitude and latitude are out of range."))
    capacity = row.get("capacity")
    if capacity in ("", None):
        capacity = None
    else:
        try:
            capacity = int(float(capacity))  # type: ignore[arg-type]
            if capacity < 0:
                raise ValueError
        except (TypeError, ValueError, OverflowError):
            fail("capacity", "invalid_capacity", _("Capacity must be a whole number of at least 0."))
    region_code = None
    if not any(p["field"] == "lon" for p in problems):
        region_code = _region_for_point(lon, lat, district_code)
        if region_code is None:
            fail("lon", "outside_district", _("The point is outside the district."))
        elif not covers(actor, region_code):
            fail("lon", "outside_jurisdiction", _("The point is outside your jurisdiction."))
    clean = {"category": category, "name": name, "lon": lon, "lat": lat, "capacity": capacity,
             "region_code": region_code,
             "opening_hours": str(row.get("opening_hours") or "").strip()[:100],
             "operator": str(row.get("operator") or "").strip()[:200],
             "external_id": str(row.get("external_id") or "").strip()[:64]}
    return clean, problems


def create_facility(*, actor, category: str, name: str, lon: float, lat: float, capacity: int | None = None,
                    opening_hours: str = "", operator: str = "") -> Facility:
    if not can_plan(actor):
        raise PermissionDenied()
    row = {"category": category, "name": name, "lon": lon, "lat": lat, "capacity": capacity,
           "opening_hours": opening_hours, "operator": operator}
    clean, problems = _clean_row(row, _category_lookup(), actor, None)
    if problems:
        first = problems[0]
        raise ValidationFailed(first["message"], code=first["code"], field=first["field"], details=problems)
    with transaction.atomic():
        facility = Facility.objects.create(source=Facility.Source.MANUAL, **clean)
        audit.record(actor=actor, action="servicecircle.facility.create", target=facility,
                     region_code=facility.region_code, detail={"category": facility.category.code})
    return facility


def import_facilities(*, actor, rows: list[dict], source: str, district_code: str | None = None) -> dict:
    """Validate every row first; any error refuses the whole file (ImportFailed lists row-level errors).
    Rows with an external id already imported from the same source update that facility."""
    if not can_plan(actor):
        raise PermissionDenied()
    if source not in Facility.Source.values:
        raise ValidationFailed(_("Unknown source."), code="invalid_source", field="source")
    categories = _category_lookup()
    cleaned, errors = [], []
    seen: set[str] = set()
    for index, row in enumerate(rows, start=1):
        number = row.get("_row", index)
        clean, problems = _clean_row(row, categories, actor, district_code)
        ext = clean["external_id"]
        if ext and ext in seen:
            problems.append({"field": "external_id", "code": "duplicate",
                             "message": str(_("Duplicate id in the file."))})
        seen.add(ext)
        errors += [{"row": number, **p} for p in problems]
        cleaned.append(clean)
    if not rows:
        raise ImportFailed(_("The file contains no facilities."), code="empty_file")
    if errors:
        raise ImportFailed(details=errors[:500])
    with transaction.atomic():
        existing = {f.external_id: f for f in Facility.objects.select_for_update().filter(
            source=source, external_id__in=[c["external_id"] for c in cleaned if c["external_id"]])}
        new, updated = [], []
        for clean in cleaned:
            facility = existing.get(clean["external_id"]) if clean["external_id"] else None
            if facility is None:
                new.append(Facility(source=source, **clean))
            else:
                for key, value in clean.items():
                    setattr(facility, key, value)
                updated.append(facility)
        Facility.objects.bulk_create(new, batch_size=500)
        if updated:
            Facility.objects.bulk_update(updated, ["category", "name", "lon", "lat", "capacity", "region_code",
                                                   "opening_hours", "operator"], batch_size=500)
        summary = {"created": len(new), "updated": len(updated), "source": source}
        audit.record(actor=actor, action="servicecircle.facility.import", target_type="servicecircle.facility",
                     region_code=area_of(actor) or "", detail=summary)
    return summary


# --- networks ---

def _extent_warnings(region: Region, graph: engine.WalkGraph, *, force: bool) -> list[str]:
    """An extract of another area is refused; with ``force`` it is stored and the warning recorded."""
    if graph.n_nodes == 0:
        return []
    if not region.boundary:
        return ["the district has no stored outline: the network's extent was not checked"]
    outline = geometry.from_geojson(region.boundary)
    extent = shapely.MultiPoint(np.column_stack([graph.lon, graph.lat])).convex_hull.buffer(1e-4)
    if outline.intersects(extent):
        return []
    lon0, lat0, lon1, lat1 = (round(float(b), 3) for b in extent.bounds)
    message = _("The network (lon %(lon0)s–%(lon1)s, lat %(lat0)s–%(lat1)s) does not overlap district %(code)s; "
                "use --force to store it anyway.") % {"lon0": lon0, "lon1": lon1, "lat0": lat0, "lat1": lat1,
                                                      "code": region.code}
    if not force:
        raise ValidationFailed(message, code="network_outside_district", field="osm")
    return [f"network does not overlap district {region.code} (lon {lon0}-{lon1}, lat {lat0}-{lat1}): stored with "
            "--force"]


def store_network(*, actor, district_code: str, graph: engine.WalkGraph, source: str, generated: bool,
                  rules: dict | None = None, force: bool = False, street_names: list[dict] | None = None) -> Network:
    """Write the graph to the district's network file and record its version, source, generated flag, the
    components kept, the walking rules and any warning accepted with ``force``. ``street_names`` (named lines
    from the same source, for map labels) replace the district's stored names; without them none are kept."""
    region = _region(district_code)
    if region.level != Level.DISTRICT:
        raise ValidationFailed(_("Choose a district."), code="not_a_district", field="district_code")
    if actor is not None:  # None: a command or the demo, run by the operator
        if not covers(actor, district_code):
            raise NotFound()
        if not can_edit_reference(actor):
            raise PermissionDenied()
    warnings = _extent_warnings(region, graph, force=force)
    path = analysis.network_path(district_code)
    path.parent.mkdir(parents=True, exist_ok=True)
    _store_street_names(district_code, street_names or [])
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    engine.save_graph(graph, path=tmp)
    digest = hashlib.sha256(Path(tmp).read_bytes()).hexdigest()
    try:
        with transaction.atomic():
            network = Network.objects.select_for_update().filter(district_code=district_code).first()
            if network is None:
                network = Network(district_code=district_code, version=0)
            network.version += 1
            network.source = source[:300]
            network.generated = generated
            network.n_nodes, network.n_edges, network.crs = graph.n_nodes, graph.n_edges, graph.crs
            network.sha256 = digest
            network.built_at = timezone.now()
            network.components = graph.components_summary()
            network.rules = rules or {}
            network.warnings = warnings
            network.save()
            audit.record(actor=actor, action="servicecircle.network.store", target=network,
                         region_code=district_code,
                         detail={"version": network.version, "source": network.source, "generated": generated,
                                 "nodes": graph.n_nodes, "edges": graph.n_edges,
                                 "components": network.components.get("count"), "warnings": warnings})
            os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return network


# --- analysis runs ---

def _category_specs(codes: list[str] | None) -> list[Category]:
    queryset = Category.objects.all()
    if codes:
        codes = list(dict.fromkeys(codes))
        found = list(queryset.filter(code__in=codes))
        if len(found) != len(codes):
            raise ValidationFailed(_("Unknown category."), code="unknown_category", field="categories")
        return sorted(found, key=lambda c: (c.sort_order, c.code))
    found = list(queryset.filter(active=True))
    if not found:
        raise ValidationFailed(_("No category is active."), code="no_categories", field="categories")
    return found


def _check_speed_and_snap(walk_speed_m_s: float, snap_limit_m: float) -> None:
    if not (0.3 <= walk_speed_m_s <= 3.0):
        raise ValidationFailed(_("Walking speed must be between 0.3 and 3 m/s."), code="invalid_speed",
                               field="walk_speed_m_s")
    if not (10 <= snap_limit_m <= 1000):
        raise ValidationFailed(_("The snap limit must be between 10 and 1000 m."), code="invalid_snap_limit",
                               field="snap_limit_m")


def start_run(*, actor, region_code: str, category_codes: list[str] | None = None,
              walk_speed_m_s: float | None = None, snap_limit_m: float | None = None,
              enqueue: bool = True) -> AnalysisRun:
    _ensure_planner(actor, region_code)
    region = _region(region_code)
    speed = float(walk_speed_m_s if walk_speed_m_s is not None else engine.WALK_SPEED_M_S)
    snap = float(snap_limit_m if snap_limit_m is not None else DEFAULT_SNAP_LIMIT_M)
    _check_speed_and_snap(speed, snap)
    categories = _category_specs(category_codes)
    with transaction.atomic():
        network = Network.objects.filter(district_code=region.code[:6]).first()
        if network is None or not analysis.network_path(region.code[:6]).exists():
            raise NoNetwork()
        run = AnalysisRun.objects.create(
            region_code=region.code, created_by=actor if actor is not None and actor.is_authenticated else None,
            network_version=network.version, network_source=network.source, network_generated=network.generated,
            categories=[{"code": c.code, "name": c.name, "name_en": c.name_en, "level": c.level,
                         "walk_distance_m": c.walk_distance_m} for c in categories],
            walk_speed_m_s=speed, snap_limit_m=snap)
        audit.record(actor=actor, action="servicecircle.run.create", target=run, region_code=run.region_code,
                     detail={"categories": run.category_codes, "network_version": network.version,
                             "walk_speed_m_s": speed, "snap_limit_m": snap})
        if enqueue:
            transaction.on_commit(lambda: _enqueue_run(run.pk))
    return run


def _enqueue_run(run_id: int) -> None:
    from civicgrid.servicecircle.tasks import run_analysis

    run_analysis(run_id)


def execute_run(*, run_id: int) -> str:
    """Compute a queued run and store its results; a failure is stored as the run's error."""
    with transaction.atomic():
        claimed = AnalysisRun.objects.filter(pk=run_id, status=Status.QUEUED).update(
            status=Status.RUNNING, started_at=timezone.now())
    if not claimed:
        return AnalysisRun.objects.filter(pk=run_id).values_list("status", flat=True).first() or "missing"
    run = AnalysisRun.objects.get(pk=run_id)
    specs = [analysis.CategorySpec(c["code"], float(c["walk_distance_m"])) for c in run.categories]
    try:
        result = analysis.compute_coverage(region_code=run.region_code, categories=specs,
                                           snap_limit_m=run.snap_limit_m)
    except Exception as exc:  # noqa: BLE001 - the run records why it failed
        log.exception("service-circle run %s failed", run_id)
        message = str(exc.message) if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
        with transaction.atomic():
            AnalysisRun.objects.filter(pk=run_id).update(status=Status.FAILED, error=message[:2000],
                                                         finished_at=timezone.now())
            audit.record(actor=None, action="servicecircle.run.fail", target=run, region_code=run.region_code,
                         outcome="failure", detail={"error": message[:300]})
        return Status.FAILED
    names = dict(Region.objects.filter(code__in=[c.community_code for c in result.communities])
                 .values_list("code", "name"))
    with transaction.atomic():
        PlaceResult.objects.bulk_create([
            PlaceResult(run=run, place_id=p.place_id, region_code=p.region_code, population=p.population,
                        snapped=p.snapped, snap_distance_m=p.snap_distance_m, connected=p.connected,
                        component_size=p.component_size, distances=p.distances,
                        missing=p.missing, score=p.score) for p in result.places], batch_size=1000)
        CommunityResult.objects.bulk_create([
            CommunityResult(run=run, community_code=c.community_code, name=names.get(c.community_code, ""),
                            population=c.population, places=c.places, covered=c.covered, uncovered=c.uncovered,
                            score=c.score) for c in result.communities], batch_size=500)
        run.status, run.summary, run.finished_at = Status.DONE, result.summary, timezone.now()
        run.save(update_fields=["status", "summary", "finished_at"])
        audit.record(actor=None, action="servicecircle.run.done", target=run, region_code=run.region_code,
                     detail={"places": result.summary.get("places"), "score": result.summary.get("score")})
    return Status.DONE


# --- recommendations ---

def _clean_points(points) -> list[list[float]]:
    clean = []
    for point in points or []:
        try:
            lon, lat = float(point[0]), float(point[1])
        except (TypeError, ValueError, IndexError, KeyError) as exc:
            raise ValidationFailed(_("Each point is [longitude, latitude]."), code="invalid_points",
                                   field="points") from exc
        if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValidationFailed(_("Each point is [longitude, latitude]."), code="invalid_points", field="points")
        clean.append([lon, lat])
    if len(clean) > MAX_POINTS:
        raise ValidationFailed(_("Too many points."), code="too_many_points", field="points")
    return clean


def recommend(*, actor, run_id: int, category: str, p: int, method: str = "auto", points=None,
              use_facility_sites: bool = True, enqueue: bool = True) -> Recommendation:
    from civicgrid.servicecircle import selectors

    run = selectors.get_run(actor=actor, run_id=run_id)
    _ensure_planner(actor, run.region_code)
    if run.status != Status.DONE:
        raise RunNotDone()
    chosen = Category.objects.filter(code=category).first()
    if chosen is None:
        raise ValidationFailed(_("Unknown category."), code="unknown_category", field="category")
    if not 1 <= int(p) <= MAX_P:
        raise ValidationFailed(_("Choose between 1 and 50 new facilities."), code="invalid_p", field="p")
    if method not in Recommendation.Method.values:
        raise ValidationFailed(_("Unknown method."), code="invalid_method", field="method")
    clean_points = _clean_points(points)
    if not clean_points and not use_facility_sites:
        from civicgrid.servicecircle.errors import NoCandidates

        raise NoCandidates()
    with transaction.atomic():
        rec = Recommendation.objects.create(
            run=run, region_code=run.region_code, category=chosen, p=int(p), method=method,
            candidate_points=clean_points, use_facility_sites=use_facility_sites,
            created_by=actor if actor.is_authenticated else None)
        audit.record(actor=actor, action="servicecircle.recommendation.create", target=rec,
                     region_code=rec.region_code,
                     detail={"run": run.pk, "category": chosen.code, "p": rec.p, "method": method,
                             "points": len(clean_points), "use_facility_sites": use_facility_sites})
        if enqueue:
            transaction.on_commit(lambda: _enqueue_recommendation(rec.pk))
    return rec


def _enqueue_recommendation(rec_id: int) -> None:
    from civicgrid.servicecircle.tasks import run_recommendation

    run_recommendation(rec_id)


def execute_recommendation(*, recommendation_id: int) -> str:
    with transaction.atomic():
        claimed = Recommendation.objects.filter(pk=recommendation_id, status=Status.QUEUED).update(
            status=Status.RUNNING)
    if not claimed:
        return Recommendation.objects.filter(pk=recommendation_id).values_list("status", flat=True).first() or ""
    rec = Recommendation.objects.select_related("run", "category").get(pk=recommendation_id)
    try:
        outcome = analysis.recommend_sites(
            region_code=rec.region_code,
            category=analysis.CategorySpec(rec.category.code, float(rec.category.walk_distance_m)),
            p=rec.p, snap_limit_m=rec.run.snap_limit_m, method=rec.method, use_facility_sites=rec.use_facility_sites,
            points=rec.candidate_points)
    except Exception as exc:  # noqa: BLE001 - stored as the recommendation's error
        log.exception("service-circle recommendation %s failed", recommendation_id)
        message = str(exc.message) if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
        with transaction.atomic():
            Recommendation.objects.filter(pk=rec.pk).update(status=Status.FAILED, error=message[:2000],
                                                            finished_at=timezone.now())
            audit.record(actor=None, action="servicecircle.recommendation.fail", target=rec,
                         region_code=rec.region_code, outcome="failure", detail={"error": message[:300]})
        return Status.FAILED
    with transaction.atomic():
        RecommendedSite.objects.bulk_create([
            RecommendedSite(recommendation=rec, rank=k, label=s.label[:200], place_id=s.place_id, lon=s.lon,
                            lat=s.lat, gain=s.gain) for k, s in enumerate(outcome.sites, start=1)])
        Recommendation.objects.filter(pk=rec.pk).update(
            status=Status.DONE, method_used=outcome.method, n_candidates=outcome.n_candidates,
            population_before=outcome.population_before, population_total=outcome.population_total,
            new_population=outcome.new_population, finished_at=timezone.now())
        audit.record(actor=None, action="servicecircle.recommendation.done", target=rec, region_code=rec.region_code,
                     detail={"method": outcome.method, "sites": len(outcome.sites),
                             "new_population": outcome.new_population})
    return Status.DONE


def _store_street_names(district_code: str, lines: list[dict]) -> None:
    """Written before the network's new version is recorded, so a reader that sees the version sees the names."""
    path = analysis.street_names_path(district_code)
    if not lines:
        path.unlink(missing_ok=True)
        return
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(lines, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
