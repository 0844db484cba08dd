"""xlsx export of the gap list, the workforce's training hours, the window's handling records and the workers'
certificates, for the communities the actor's area covers (applicants' names masked; cells cannot become
formulas)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from civicgrid.communityaffairs import figures, selectors
from civicgrid.core.exports import safe_row
from civicgrid.core.personal import mask_name
from civicgrid.people.models import StaffMember

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _gaps(sheet, actor) -> None:
    sheet.title = _("Gaps")[:31]
    sheet.append([_("Subdistrict"), _("Community"), _("Households"), _("Rooms (m²)"), _("Required (m²)"),
                  _("Gap (m²)"), _("Quota"), _("On the roster"), _("Vacancies"), _("Over the quota")])
    for group in selectors.gap_list(actor=actor):
        for row in group["rows"]:
            space, staffing = row["space"], row["staffing"]
            sheet.append(safe_row([group["name"], row["region"].name, space.households, space.area, space.required,
                                   space.gap, staffing.quota, staffing.actual, staffing.vacancies, staffing.over]))


def _training(sheet, actor, year: int) -> None:
    sheet.title = _("Training hours")[:31]
    sheet.append([_("Community"), _("Worker"), _("Hours"), _("Requirement")])
    codes = [c.code for c in selectors.communities(actor=actor)]
    names = dict(StaffMember.objects.visible_to(actor).filter(region_code__in=codes).values_list("pk", "name"))
    for code, training in figures.training(codes, year).items():
        for staff_id, hours in sorted(training.hours.items()):
            sheet.append(safe_row([code, names.get(staff_id, ""), hours, training.requirement]))


def _handlings(sheet, actor, year: int) -> None:
    sheet.title = _("Handling records")[:31]
    sheet.append([_("Community"), _("Service item"), _("Applicant"), _("Received at"), _("Due at"),
                  _("Finished at"), _("Result"), _("In time"), _("Case")])
    for row in selectors.handlings(actor=actor).filter(received_at__year=year).order_by("received_at"):
        finished = f"{timezone.localtime(row.finished_at):%Y-%m-%d %H:%M}" if row.finished_at else ""
        sheet.append(safe_row([row.region_code, row.item.name, mask_name(row.applicant),
                               f"{timezone.localtime(row.received_at):%Y-%m-%d %H:%M}",
                               f"{timezone.localtime(row.due_at):%Y-%m-%d %H:%M}", finished,
                               row.get_result_display(), "" if row.in_time is None else (_("yes") if row.in_time
                                                                                         else _("no")),
                               row.case.number if row.case else ""]))


def _qualifications(sheet, actor) -> None:
    sheet.title = _("Certificates")[:31]
    sheet.append([_("Community"), _("Worker"), _("Certificate level"), _("Certificate number"), _("Issued on"),
                  _("Expires on"), _("State")])
    states = dict(figures.CERTIFICATE_STATES)
    for row in selectors.qualifications(actor=actor):
        record = row["record"]
        sheet.append(safe_row([record.region_code, record.staff.name, record.get_level_display(),
                               record.certificate_no, f"{record.issued_on:%Y-%m-%d}",
                               f"{record.expires_on:%Y-%m-%d}" if record.expires_on else "",
                               str(states[row["state"]])]))


def _ranks(sheet, actor, year: int) -> None:
    sheet.title = _("Assessment ranks")[:31]
    sheet.append([_("Assessment"), _("Rank"), _("Community"), _("Self-assessment"), _("Subdistrict review"),
                  _("District review"), _("Stage")])
    for template in selectors.templates(actor=actor):
        for row in selectors.ranking(actor=actor, template_id=template.pk, year=year):
            item = row["assessment"]
            sheet.append(safe_row([template.name, row["rank"], row["name"], item.self_total, item.subdistrict_total,
                                   item.district_total, item.get_stage_display()]))


def qualifications_bytes(*, actor) -> bytes:
    book = Workbook()
    _qualifications(book.active, actor)
    return _saved(book)


def _saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def workbook_bytes(*, actor, year: int) -> bytes:
    book = Workbook()
    _gaps(book.active, actor)
    _training(book.create_sheet(), actor, year)
    _handlings(book.create_sheet(), actor, year)
    _qualifications(book.create_sheet(), actor)
    if selectors.may_rank(actor):
        _ranks(book.create_sheet(), actor, year)
    return _saved(book)
