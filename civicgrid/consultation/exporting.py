"""xlsx export of the meetings and resolutions the actor may see (cells cannot become formulas)."""

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from civicgrid.consultation.selectors import attendance
from civicgrid.core.exports import safe_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _meetings(sheet, meetings) -> None:
    sheet.title = _("Meetings")[:31]
    sheet.append([_("Community"), _("Title"), _("Starts at"), _("State"), _("Compound kind"), _("Invited"),
                  _("Present")])
    for meeting in meetings.order_by("starts_at"):
        counts = attendance(meeting).values()
        sheet.append(safe_row([meeting.region_code, meeting.title,
                               f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}",
                               meeting.get_state_display(), meeting.get_compound_kind_display(),
                               sum(c["invited"] for c in counts), sum(c["present"] for c in counts)]))


def _resolutions(sheet, resolutions) -> None:
    sheet.title = _("Resolutions")[:31]
    sheet.append([_("Community"), _("Title"), _("Owner"), _("Due on"), _("Status"), _("Progress %"),
                  _("Case"), _("Done on")])
    for item in resolutions.select_related("case").order_by("due_on"):
        sheet.append(safe_row([item.region_code, item.title, item.owner, item.due_on, item.get_status_display(),
                               item.progress, item.case.number if item.case else "", item.done_on]))


def workbook_bytes(*, meetings, resolutions) -> bytes:
    book = Workbook()
    _meetings(book.active, meetings)
    _resolutions(book.create_sheet(), resolutions)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def workbook_response(*, meetings, resolutions) -> HttpResponse:
    response = HttpResponse(workbook_bytes(meetings=meetings, resolutions=resolutions), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="consultation.xlsx"'
    return response
