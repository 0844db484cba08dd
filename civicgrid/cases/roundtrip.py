"""The 12345 round trip: what the district reports back to the municipal platform, per hotline work order.

The export keeps the import's column layout (services.hotline.COLUMNS, same header names, so the file can be
imported again: orders already known are left unchanged) and adds the handling result after it. Cells are
formula-safe (core.exports); the caller's phone is masked, never the full number."""

import csv
import io
from datetime import date

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from civicgrid.cases.models import Case, CaseEvent, Channel, State
from civicgrid.cases.services.hotline import COLUMNS, IMPORT_ROLES
from civicgrid.core import audit
from civicgrid.core.errors import PermissionDenied
from civicgrid.core.exports import safe_row

RESULT_COLUMNS = ("case_number", "handling_result", "reply", "handling_unit", "accepted_at", "replied_at",
                  "closed_at", "callback_satisfaction", "callback_resolved", "explained")
HEADER = (*COLUMNS, *RESULT_COLUMNS)
MAX_ROWS = 50_000


def _when(value) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _yes_no(value) -> str:
    return "" if value is None else ("是" if value else "否")


def _result(case: Case) -> str:
    """The case's state code, or `explained` for a closed case approved as not solvable / explained."""
    return "explained" if case.explained_at and case.state == State.CLOSED else case.state


def orders(*, actor, start: date, end: date):
    if not (actor.is_authenticated and (actor.is_superuser or actor.role in IMPORT_ROLES)):
        raise PermissionDenied()
    return (Case.objects.visible_to(actor).filter(channel=Channel.HOTLINE, external_id__isnull=False,
                                                  reported_on__range=(start, end))
            .select_related("category", "unit", "asset").order_by("reported_at", "pk"))


def rows(*, actor, start: date, end: date) -> list[list]:
    """The header and one row per order, audited as an export."""
    cases = list(orders(actor=actor, start=start, end=end)[:MAX_ROWS])
    replies = dict(CaseEvent.objects.filter(case__in=[c.pk for c in cases], kind="reply").order_by("at", "id")
                   .values_list("case_id", "note"))  # the last reply wins
    out = [list(HEADER)]
    for case in cases:
        out.append(safe_row([
            case.external_id, _when(case.reported_at), case.description, case.phone_masked, case.lon, case.lat,
            case.address, case.category.code if case.category else "", "是" if case.urgent else "",
            case.asset.code if case.asset_id else "", case.number, _result(case), replies.get(case.pk, ""),
            case.unit.name if case.unit else "",
            _when(case.responded_at), _when(case.replied_at), _when(case.closed_at),
            case.callback_satisfaction, _yes_no(case.callback_resolved), _yes_no(bool(case.explained_at))]))
    with transaction.atomic():
        audit.record(actor=actor, action="cases.hotline.export", region_code=getattr(actor, "region_code", ""),
                     detail={"start": start.isoformat(), "end": end.isoformat(), "rows": len(cases)})
    return out


def as_csv(table: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(table)
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(table: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "orders"
    for row in table:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
