"""The cockpit's pages: the map with drill-down and the KPI panels, rankings with the composite score, the weekly
brief and the monthly reports. Thin: selectors read, services write; outside the actor's area a page is 404."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.cockpit import selectors, services
from civicgrid.cockpit.periods import KINDS, Period, parse
from civicgrid.core.errors import NotFound
from civicgrid.core.web import acting, found
from civicgrid.territory import geometry as geo
from civicgrid.territory.models import Level, Region

LEVEL_WORDS: dict[str, str] = {Level.DISTRICT: "district", Level.SUBDISTRICT: "subdistrict",
                               Level.COMMUNITY: "community", Level.GRID: "grid"}


def _period(request) -> Period:
    return parse(request.GET.get("period"), request.GET.get("at"), timezone.localdate())


def _period_links(request, period: Period) -> dict:
    return {"kinds": [(kind, Period.containing(kind, period.start)) for kind in KINDS],
            "previous": period.previous(), "next": period.following(), "last_year": period.last_year()}


@login_required
def home(request):
    region = found(selectors.top_region, actor=request.user)
    return _page(request, region)


@login_required
def region_page(request, code: str):
    region = found(selectors.get_region, actor=request.user, code=code)
    return _page(request, region)


def _labels() -> dict:
    return {"population": _("Population"), "households": _("Households"), "area": _("Area (km²)"),
            "generated": _("generated"), "colourBy": _("Layer"), "none": _("No figure"), "noData": _("no data")}


def _map_data(region: Region, kids: list[Region], values: dict, layer: str, period: Period) -> dict:
    kpis = selectors.kpis()
    query = f"period={period.kind}&at={period.param}"
    features = [geo.feature(child.boundary, {
        "code": child.code, "name": child.name, "population": child.population, "households": child.households,
        "area_km2": child.area_km2, "generated": child.boundary_generated,
        "url": f"{reverse('cockpit:region', args=[child.code])}?{query}",
        "figures": {k.key: values.get(k.key, {}).get(child.code) for k in kpis},
        "shown": {k.key: selectors.shown(k, values.get(k.key, {}).get(child.code)) for k in kpis}})
        for child in kids if child.boundary]
    layers = [{"key": k.key, "title": str(k.title), "kind": k.kind, "better": k.better, "note": str(k.note or "")}
              for k in kpis]
    layers.sort(key=lambda f: f["key"] != layer)  # the chosen layer first: the map opens coloured by it
    return {"region": geo.feature(region.boundary, {"code": region.code, "name": region.name,
                                                    "generated": region.boundary_generated})
            if region.boundary else None,
            "children": geo.feature_collection(features), "places": geo.feature_collection([]),
            "figures": layers, "tileUrl": settings.TILE_URL, "labels": _labels()}


def _page(request, region: Region):
    actor, period = request.user, _period(request)
    kids = selectors.children(region)
    layer = request.GET.get("layer") or ""
    entry = selectors.kpi(layer) or next(iter(selectors.kpis()), None)
    layer = entry.key if entry else ""
    values = selectors.figures(actor=actor, regions=kids, period=period) if kids else {}
    cards = selectors.cards(actor=actor, region=region, period=period)
    crumbs = [(r, r.code.startswith(selectors.cockpit_area(actor)))
              for r in Region.objects.filter(code__in=[region.code[:n] for n in (6, 9, 12, 15)
                                                       if n <= len(region.code)]).order_by("code")]
    child_rows = [{"region": child, "shown": [(c.kpi.key, c.kpi.title, selectors.shown(
        c.kpi, values.get(c.kpi.key, {}).get(child.code))) for c in cards]} for child in kids]
    charts = {
        "trend": selectors.trend(region=region, period=period),
        "children": selectors.bars(entry=entry, rows=sorted(
            [(child.name, values.get(layer, {}).get(child.code)) for child in kids],
            key=lambda r: (r[1] is None, -(r[1] or 0) if entry.better == "high" else (r[1] or 0))))
        if entry and kids else {},
        "mix": selectors.category_mix(region=region, period=period),
    }
    return render(request, "cockpit/region.html", {
        "region": region, "level": LEVEL_WORDS.get(region.level, ""), "crumbs": crumbs, "period": period,
        "periods": _period_links(request, period), "panels": selectors.panels(cards), "cards": cards,
        "children": kids, "child_rows": child_rows, "layer": layer, "layer_kpi": entry, "charts": charts,
        "map_data": _map_data(region, kids, values, layer, period),
        "may_set_targets": selectors.is_district_manager(actor), "kpis": selectors.kpis()})


def _weights(request) -> dict[str, int]:
    weights = {}
    for entry in selectors.kpis():
        raw = request.GET.get(f"w_{entry.key}")
        if raw is not None:
            try:
                weights[entry.key] = max(0, min(10, int(raw)))
            except ValueError:
                continue
    return weights


@login_required
def rankings(request):
    actor, period = request.user, _period(request)
    area = found(selectors.cockpit_area, actor=actor)
    levels = [level for level, length in ((Level.SUBDISTRICT, 9), (Level.COMMUNITY, 12)) if length >= len(area)]
    level = request.GET.get("level") if request.GET.get("level") in levels else (levels[0] if levels else "")
    if not level:
        raise Http404
    result = found(selectors.ranking, actor=actor, level=level, period=period, weights=_weights(request),
                   sort=request.GET.get("sort") or "score")
    entry = selectors.kpi(result.sort)
    chart_rows = [(row.region.name, row.values[result.sort] if entry else row.score) for row in result.rows]
    chart = (selectors.bars(entry=entry, rows=chart_rows) if entry else
             {"kind": "bars", "categories": [n for n, _v in chart_rows],
              "series": [{"name": _("Composite score"), "data": [v for _n, v in chart_rows], "percent": False}]})
    return render(request, "cockpit/rankings.html", {
        "ranking": result, "levels": [(lv, Level(lv).label) for lv in levels], "level": level, "period": period,
        "periods": _period_links(request, period), "formula": selectors.formula(result.weights), "chart": chart,
        "sort_kpi": entry})


@login_required
def brief(request):
    actor = request.user
    region = found(selectors.get_region, actor=actor, code=request.GET["region"]) if request.GET.get("region") \
        else found(selectors.top_region, actor=actor)
    try:
        day = date.fromisoformat(request.GET.get("week") or "")
    except ValueError:
        day = timezone.localdate()
    start, end = selectors.week_of(day)
    sections = selectors.brief(actor=actor, region=region, start=start, end=end)
    return render(request, "cockpit/brief.html", {"region": region, "start": start, "end": end,
                                                  "last_day": end - timedelta(days=1), "sections": sections,
                                                  "previous": start - timedelta(days=7),
                                                  "next": end})


@login_required
def reports(request):
    rows = found(selectors.reports_for, actor=request.user)
    names = dict(Region.objects.filter(code__in={r.region_code for r in rows}).values_list("code", "name"))
    return render(request, "cockpit/reports.html", {"reports": [(r, names.get(r.region_code, r.region_code))
                                                                for r in rows[:200]]})


def _download(request, report_id: int, fmt: str) -> HttpResponse:
    try:
        report = services.record_download(actor=request.user, report_id=report_id, fmt=fmt)
    except NotFound:
        raise Http404 from None
    body = bytes(report.pdf if fmt == "pdf" else report.xlsx)
    kind = ("application/pdf" if fmt == "pdf"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response = HttpResponse(body, content_type=kind)
    name = f"cockpit-{report.region_code}-{report.month:%Y-%m}.{fmt}"
    response["Content-Disposition"] = f'{"inline" if fmt == "pdf" else "attachment"}; filename="{name}"'
    return response


@login_required
def report_pdf(request, report_id: int):
    return _download(request, report_id, "pdf")


@login_required
def report_xlsx(request, report_id: int):
    return _download(request, report_id, "xlsx")


@login_required
@require_POST
@acting("cockpit:home")
def set_target(request):
    code = request.POST.get("region", "")
    raw = (request.POST.get("value") or "").strip().rstrip("%")
    entry = selectors.kpi(request.POST.get("kpi", ""))
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if entry is not None and entry.kind == "share":
        value = value / 100 if value >= 0 else value  # typed as a percentage: 95 → 0.95
    services.set_target(actor=request.user, kpi=request.POST.get("kpi", ""), region_code=code, value=value)
    messages.success(request, _("Target saved."))
    return redirect(reverse("cockpit:region", args=[code]) + "#targets")
