"""Service-circle pages: the coverage map, runs with gaps, community scores and recommendations, facilities
with import, and the new-compound check. Data for maps goes through json_script (CSP: no inline scripts)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.core.errors import DomainError, NotFound
from civicgrid.core.scoping import area_of
from civicgrid.core.uploads import MAX_UPLOAD_BYTES, check_upload_size
from civicgrid.servicecircle import exporting, importing, selectors, services
from civicgrid.servicecircle.forms import CompoundCheckForm, FacilityFilterForm, ImportForm, RecommendForm, RunForm
from civicgrid.servicecircle.models import Status
from civicgrid.servicecircle.views_support import compound_check, place_check, place_isochrone, site_reaches
from civicgrid.territory import geometry as geo
from civicgrid.territory.models import Region

MAP_PLACE_LIMIT = 5000


def _or_404(function, **kwargs):
    try:
        return function(**kwargs)
    except NotFound as exc:
        raise Http404 from exc


def _labels() -> dict:
    return {"score": _("Coverage"), "population": _("Population"), "missing": _("Missing"),
            "minutes": _("min walk"), "site": _("Recommended site"), "gain": _("newly covered residents"),
            "loading": _("Loading…"), "failed": _("Could not load the data.")}


def _map_data(actor, run, region: Region | None, rec) -> dict:
    names = run.category_labels() if run else {}
    places = []
    if run is not None:
        for result in selectors.place_results(actor=actor, run=run)[:MAP_PLACE_LIMIT]:
            places.append(geo.feature({"type": "Point", "coordinates": [result.place.lon, result.place.lat]},
                                      {"id": result.place_id, "name": result.place.name, "score": result.score,
                                       "population": result.population, "snapped": result.snapped,
                                       "connected": result.connected, "snap_offset_m": result.snap_distance_m,
                                       "missing": [names.get(c, c) for c in result.missing]}))
    sites = [] if rec is None else site_reaches(rec=rec, sites=list(rec.sites.all()))["features"]
    return {
        "outline": geo.feature(region.boundary, {"name": region.name}) if region and region.boundary else None,
        "places": geo.feature_collection(places),
        "sites": geo.feature_collection(sites),
        "panelUrl": reverse("servicecircle:place_panel", args=[run.pk, 0]) if run else "",
        "isochroneUrl": reverse("servicecircle:isochrone", args=[0]) + (f"?run={run.pk}" if run else ""),
        "tileUrl": settings.TILE_URL,
        "labels": _labels(),
    }


@login_required
def map_page(request):
    actor = request.user
    region = selectors.area_region(actor)
    run_id = request.GET.get("run")
    run = (_or_404(selectors.get_run, actor=actor, run_id=int(run_id)) if run_id and run_id.isdigit()
           else selectors.latest_run(actor=actor))
    if run is not None and run.status != Status.DONE:
        run = None
    rec = None
    if run is not None:
        rec = selectors.recommendations(actor=actor, run=run).filter(status=Status.DONE).first()
    network = selectors.network_of(region)
    context = {
        "run": run, "region": region, "network": network, "recommendation": rec,
        "gaps": selectors.gaps(actor=actor, run=run) if run else [],
        "communities": (sorted(selectors.community_results(actor=actor, run=run),
                               key=lambda c: (c.score is None, c.score or 0))[:10] if run else []),
        "map_data": _map_data(actor, run, region, rec),
    }
    return render(request, "servicecircle/map.html", context)


@login_required
def place_panel(request, run_id: int, place_id: int):
    actor = request.user
    run = _or_404(selectors.get_run, actor=actor, run_id=run_id)
    result = _or_404(selectors.place_result, actor=actor, run=run, place_id=place_id)
    labels = run.category_labels()
    rows = [{"name": labels[c["code"]], "level": c["level"], "limit": c["walk_distance_m"],
             "distance": result.distances.get(c["code"]), "missing": c["code"] in result.missing}
            for c in run.categories]
    rows.sort(key=lambda r: (not r["missing"], r["name"]))
    return render(request, "servicecircle/_place_panel.html", {"run": run, "result": result, "rows": rows})


@login_required
def isochrone_json(request, place_id: int):
    try:
        run = request.GET.get("run", "")
        return JsonResponse(place_isochrone(actor=request.user, place_id=place_id,
                                            run_id=int(run) if run.isdigit() else None))
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status)


@login_required
def run_list(request):
    actor = request.user
    categories = list(selectors.categories())
    form = RunForm(request.POST or None, areas=selectors.area_choices(actor), categories=categories)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.start_run(actor=actor, region_code=form.cleaned_data["region_code"],
                                     category_codes=form.cleaned_data["categories"] or None,
                                     walk_speed_m_s=form.cleaned_data["walk_speed_m_s"],
                                     snap_limit_m=form.cleaned_data["snap_limit_m"])
        except NotFound as exc:
            raise Http404 from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The analysis was started."))
            return redirect("servicecircle:run", run.pk)
    page = Paginator(selectors.list_runs(actor=actor), 25).get_page(request.GET.get("page"))
    return render(request, "servicecircle/run_list.html",
                  {"page": page, "form": form, "can_plan": services.can_plan(actor)})


@login_required
def run_detail(request, run_id: int):
    actor = request.user
    run = _or_404(selectors.get_run, actor=actor, run_id=run_id)
    done = run.status == Status.DONE
    context = {
        "run": run,
        "region_name": Region.objects.visible_to(actor).filter(code=run.region_code).values_list("name", flat=True)
        .first(),
        "gaps": selectors.gaps(actor=actor, run=run) if done else [],
        "communities": list(selectors.community_results(actor=actor, run=run)) if done else [],
        "recommendations": list(selectors.recommendations(actor=actor, run=run)),
        "form": RecommendForm(run=run),
        "facilities_unsnapped": sum((run.summary.get("facilities_unsnapped") or {}).values()),
        "can_plan": services.can_plan(actor),
    }
    return render(request, "servicecircle/run_detail.html", context)


@login_required
@require_POST
def recommend(request, run_id: int):
    actor = request.user
    run = _or_404(selectors.get_run, actor=actor, run_id=run_id)
    form = RecommendForm(request.POST, run=run)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("servicecircle:run", run.pk)
    try:
        rec = services.recommend(actor=actor, run_id=run.pk, **form.cleaned_data)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("servicecircle:run", run.pk)
    messages.success(request, _("The recommendation was started."))
    return redirect("servicecircle:recommendation", rec.pk)


@login_required
def recommendation_detail(request, recommendation_id: int):
    rec = _or_404(selectors.get_recommendation, actor=request.user, recommendation_id=recommendation_id)
    sites = list(rec.sites.all())
    region = Region.objects.visible_to(request.user).filter(code=rec.region_code).first()
    map_data = None
    if rec.status == Status.DONE:
        map_data = {"sites": site_reaches(rec=rec, sites=sites), "tileUrl": settings.TILE_URL,
                    "outline": geo.feature(region.boundary, {"name": region.name}) if region and region.boundary
                    else None,
                    "labels": {"site": _("Recommended site"), "gain": _("newly covered residents"),
                               "reach": _("walking reach %(metres)s m") % {"metres": rec.category.walk_distance_m}}}
    return render(request, "servicecircle/recommendation.html", {"rec": rec, "sites": sites, "map_data": map_data})


def _done_run(request, run_id):
    run = _or_404(selectors.get_run, actor=request.user, run_id=run_id)
    if run.status != Status.DONE:
        raise Http404
    return run


@login_required
def export_xlsx(request, run_id: int):
    run = _done_run(request, run_id)
    response = HttpResponse(exporting.run_xlsx(actor=request.user, run=run),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="servicecircle-run-{run.pk}.xlsx"'
    return response


@login_required
def export_geojson(request, run_id: int):
    run = _done_run(request, run_id)
    response = HttpResponse(exporting.run_geojson_bytes(actor=request.user, run=run),
                            content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="servicecircle-run-{run.pk}.geojson"'
    return response


def _rows_from_upload(upload, kind: str) -> list[dict]:
    check_upload_size(upload.size, limit=importing.MAX_OSM_BYTES if kind == "osm" else MAX_UPLOAD_BYTES)
    data = upload.read()
    if kind == "csv":
        return importing.rows_from_csv(data)
    if kind == "geojson":
        return importing.rows_from_geojson(data)
    suffix = ".osm.pbf" if upload.name.endswith(".pbf") else ".osm"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            return importing.rows_from_osm(path)
        except RuntimeError as exc:
            from civicgrid.servicecircle.errors import ImportFailed

            raise ImportFailed(_("The OpenStreetMap file could not be read."), code="bad_osm") from exc


@login_required
def facility_list(request):
    actor = request.user
    categories = list(selectors.categories())
    problems: list = []
    import_form = ImportForm()
    if request.method == "POST":
        import_form = ImportForm(request.POST, request.FILES)
        if import_form.is_valid():
            try:
                rows = _rows_from_upload(import_form.cleaned_data["file"], import_form.cleaned_data["format"])
                summary = services.import_facilities(actor=actor, rows=rows, source=import_form.cleaned_data["format"],
                                                     district_code=(area_of(actor) or "")[:6] or None)
            except DomainError as exc:
                messages.error(request, exc.message)
                problems = exc.details
            else:
                messages.success(request, _("Imported: %(created)d new, %(updated)d updated.") % summary)
                return redirect("servicecircle:facilities")
    filters = FacilityFilterForm(request.GET or None, categories=categories)
    data = filters.cleaned_data if filters.is_valid() else {}
    queryset = selectors.list_facilities(actor=actor, category=data.get("category") or None,
                                         source=data.get("source") or None, q=data.get("q"))
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "servicecircle/facility_list.html",
                  {"page": page, "filters": filters, "import_form": import_form, "problems": problems,
                   "count": page.paginator.count, "query": query.urlencode(), "can_plan": services.can_plan(actor)})


@login_required
def compound_check_page(request):
    place_id = request.GET.get("place", "")
    result, error = None, None
    if place_id.isdigit():
        result = _or_404(place_check, actor=request.user, place_id=int(place_id))
        place = result["place"]
        form = CompoundCheckForm(initial={"lon": place.lon, "lat": place.lat, "population": place.population})
    else:
        form = CompoundCheckForm(request.GET or None)
    if result is None and request.GET and form.is_valid():
        try:
            result = compound_check(actor=request.user, lon=form.cleaned_data["lon"], lat=form.cleaned_data["lat"],
                                    population=form.cleaned_data["population"])
        except DomainError as exc:
            error = exc.message
    rows = []
    if result:
        for category in result["categories"]:
            distance = result["distances"].get(category.code)
            rows.append({"name": category.label, "limit": category.walk_distance_m, "distance": distance,
                         "missing": category.code in result["missing"]})
        rows.sort(key=lambda r: (not r["missing"], r["name"]))
    context = {"form": form, "result": result, "rows": rows, "error": error}
    template = "servicecircle/_check_result.html" if request.headers.get("HX-Request") else "servicecircle/check.html"
    return render(request, template, context)
