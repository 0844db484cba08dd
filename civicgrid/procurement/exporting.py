"""xlsx exports of purchases and budget lines (cells cannot become formulas; no personal data: organizations
are named, their legal representatives are not)."""

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from civicgrid.core.exports import safe_row
from civicgrid.procurement.selectors import execution_rate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _purchases(sheet, purchases) -> None:
    sheet.title = _("Purchases")[:31]
    sheet.append([_("Area"), _("Title"), _("Catalogue item"), pgettext("purchase", "Stage"), _("Ceiling price"),
                  _("Organization"), _("Award amount"), _("Award date"), _("Evaluation score")])
    for purchase in purchases:
        bid = purchase.awarded_bid
        contract = getattr(purchase, "contract", None)
        evaluation = getattr(contract, "evaluation", None) if contract is not None else None
        sheet.append(safe_row([purchase.region_code, purchase.title, purchase.item.name, purchase.get_stage_display(),
                               float(purchase.ceiling), bid.organization.name if bid else "",
                               float(purchase.award_amount) if purchase.award_amount else "",
                               f"{timezone.localtime(purchase.awarded_at):%Y-%m-%d}" if purchase.awarded_at else "",
                               float(evaluation.total) if evaluation else ""]))


def _lines(sheet, lines) -> None:
    sheet.title = _("Budget lines")[:31]
    sheet.append([_("Area"), _("Year"), _("Department"), _("Budget"), _("Committed"), _("Paid"),
                  _("Budget execution rate")])
    for line in lines:
        rate = float(line.paid / line.amount) if line.amount else None
        sheet.append(safe_row([line.region_code, line.year, line.department, float(line.amount),
                               float(line.committed), float(line.paid),
                               f"{rate * 100:.1f}%" if rate is not None else ""]))
    total = execution_rate(lines)
    sheet.append(safe_row([_("Total"), "", "", "", "", "", f"{total * 100:.1f}%" if total is not None else ""]))


def workbook_response(*, purchases, lines) -> HttpResponse:
    book = Workbook()
    _purchases(book.active, purchases.select_related("contract__evaluation"))
    _lines(book.create_sheet(), lines)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="procurement.xlsx"'
    return response
