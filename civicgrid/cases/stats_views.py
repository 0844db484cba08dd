"""The statistics page (three rates and more, by region/unit/category/month), its heat map and xlsx export."""

import io
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from civicgrid.cases import stats, stats_charts
from civicgrid.core.errors import NotFound
from civicgrid.core.exports import safe_row
from civicgrid.territory.picker import region_steps

RATE_LABELS = (("response", gettext_lazy("Response rate")), ("resolution", gettext_lazy("Resolution rate")),
               ("satisfaction", gettext_lazy("Satisfaction rate")), ("closure", gettext_lazy("Closure rate")),
               ("on_time_closure", gettext_lazy("On-time closure rate")), ("rework", gettext_lazy("Rework rate")))


def _period(request) -> tuple[date, date, str]:
    today = timezone.localdate()
    try:
        end = date.fromisoformat(request.GET.get("end") or today.isoformat())
        start = date.fromisoformat(request.GET.get("start") or (end - timedelta(days=30)).isoformat())
    except ValueError:
        end, start = today, today - timedelta(days=30)
    by = request.GET.get("by", "region")
    return min(start, end), end, by if by in stats.BREAKDOWNS else "region"


def _report(request):
    start, end, by = _period(request)
    region = region_steps(request.user, request.GET).chosen  # a link's `region`, or the steps chosen
    try:
        return start, end, by, stats.report(actor=request.user, start=start, end=end, by=by, region=region)
    except NotFound:
        raise Http404 from None


def _labels() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in RATE_LABELS]


@login_required
def statistics(request):
    start, end, by, result = _report(request)
    heat = stats.heat_points(actor=request.user, start=start, end=end)
    charts = stats_charts.charts(actor=request.user, start=start, end=end, shown=result, by=by)
    return render(request, "cases/statistics.html", {
        "start": start, "end": end, "by": by, "report": result, "rate_labels": _labels(), "charts": charts,
        "region_steps": region_steps(request.user, request.GET), "query": request.GET.urlencode(),
        "heat": {"points": heat, "labels": {"cases": _("cases"), "legend": _("Cases reported per grid")}}})


@login_required
def export(request):
    start, end, by, result = _report(request)
    book = Workbook()
    sheet = book.active
    sheet.title = "rates"
    keys = [key for key, _label in RATE_LABELS]
    sheet.append([_("Group"), _("Reported"), *[label for _key, label in _labels()], _("Average handling hours")])
    for figures in [*result.rows, result.total]:
        rates = figures.rates
        sheet.append(safe_row([figures.label or _("Total"), figures.counts["reported"], *[rates[k] for k in keys],
                               rates["avg_handling_hours"]]))
    for column in sheet.iter_cols(min_col=3, max_col=2 + len(keys), min_row=2):
        for cell in column:
            cell.number_format = "0.0%"  # the share stays a number; Excel shows 79.7%
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="case-rates-{start}-{end}-{by}.xlsx"'
    return response
