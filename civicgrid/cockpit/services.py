"""Every write of the cockpit: the district's targets and the monthly reports (its rollups are written by
`rollup.refresh`). Keyword-only, one transaction each, an audit event inside."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from civicgrid.cockpit import errors, reports, selectors
from civicgrid.cockpit.models import MonthlyReport, Target
from civicgrid.cockpit.periods import Period
from civicgrid.core import audit, workcalendar
from civicgrid.core.errors import NotFound
from civicgrid.territory.models import Level, Region


def set_target(*, actor, kpi: str, region_code: str, value: float) -> Target:
    """The district sets (or changes) the target of one KPI for one region inside it. A rate's target is given
    as a share (0.95)."""
    entry = selectors.kpi(kpi)
    region = selectors.get_region(actor=actor, code=region_code)
    if not selectors.is_district_manager(actor):
        raise errors.OnlyTheDistrict()
    if entry is None:
        raise errors.UnknownKpi(field="kpi")
    if value < 0 or (entry.kind == "share" and value > 1):
        raise errors.BadTarget(field="value")
    with transaction.atomic():
        target = Target.objects.select_for_update().filter(kpi=kpi, region_code=region.code).first()
        before = target.value if target else None
        target = target or Target(kpi=kpi, region_code=region.code)
        target.value, target.set_by = round(float(value), 4), actor
        target.full_clean()
        target.save()
        audit.record(actor=actor, action="cockpit.target.set", target=target, region_code=region.code,
                     detail={"kpi": kpi, "from": before, "to": target.value})
    return target


def report_regions() -> list[Region]:
    """The district(s) and every subdistrict: the regions a monthly report is made for."""
    return list(Region.objects.filter(level__in=[Level.DISTRICT, Level.SUBDISTRICT]).order_by("code"))


def generate_monthly_report(*, region: Region, month: date, actor=None) -> MonthlyReport:
    """The report of one region for one month; kept once (generating again returns the one kept)."""
    first = month.replace(day=1)
    found = MonthlyReport.objects.filter(region_code=region.code, month=first).first()
    if found is not None:
        return found
    period = Period.containing("month", first)
    content = reports.build(region=region, period=period)
    with transaction.atomic():
        report = MonthlyReport(region_code=region.code, month=first, figures=content.figures, xlsx=content.xlsx,
                               pdf=content.pdf)
        report.full_clean(exclude=["xlsx", "pdf"])
        report.save()
        audit.record(actor=actor, action="cockpit.report.generate", target=report, region_code=region.code,
                     detail={"month": f"{first:%Y-%m}"})
    return report


def previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def first_working_day(month_first: date) -> date:
    day = month_first
    while not workcalendar.is_workday(day):
        day += timedelta(days=1)
    return day


def monthly_reports_due(*, today: date | None = None, force: bool = False) -> int:
    """On the first working day of a month (or later, catching up; or when forced) make last month's reports
    for the district and every subdistrict. Idempotent: a report kept is not made again."""
    today = today or timezone.localdate()
    if not force and today < first_working_day(today.replace(day=1)):
        return 0
    month = previous_month(today)
    made = 0
    for region in report_regions():
        if not MonthlyReport.objects.filter(region_code=region.code, month=month).exists():
            generate_monthly_report(region=region, month=month)
            made += 1
    return made


def record_download(*, actor, report_id: int, fmt: str) -> MonthlyReport:
    """A report opened (xlsx or PDF) is an audited read."""
    report = selectors.get_report(actor=actor, report_id=report_id)
    if fmt not in ("xlsx", "pdf"):
        raise NotFound()
    with transaction.atomic():
        audit.record(actor=actor, action="cockpit.report.export", target=report, region_code=report.region_code,
                     detail={"format": fmt})
    return MonthlyReport.objects.get(pk=report.pk)
