"""xlsx exports: the coverage table with its uncovered lists, and the members list (names masked)."""

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from civicgrid.core.exports import safe_row
from civicgrid.core.numbers import percent
from civicgrid.core.personal import mask_name

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _response(book: Workbook, name: str) -> HttpResponse:
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def coverage_workbook(rows, names: dict) -> HttpResponse:
    """`rows`: Coverage per area; `names`: {code: region name}."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Coverage")[:31]
    sheet.append([_("Area"), _("Enterprises"), _("Own organization (above threshold)"),
                  _("Joint coverage (below threshold)"), _("Partner shops (below threshold)"),
                  _("Buildings with a workstation"), _("Organization coverage")])
    for row in rows:
        sheet.append(safe_row([names.get(row.code, row.code), row.enterprises, percent(row.own_share),
                               percent(row.joint_share), percent(row.shop_share), percent(row.workstation_share),
                               percent(row.organization_share)]))
    uncovered = book.create_sheet(_("Uncovered")[:31])
    uncovered.append([_("Area"), _("List"), pgettext("organization", "Name")])
    for row in rows:
        area = names.get(row.code, row.code)
        for label, items in ((_("Above threshold without own organization"), row.uncovered_above),
                             (_("Below threshold without any organization"), row.uncovered_below),
                             (_("Buildings without a workstation"), row.buildings_without)):
            for item in items:
                uncovered.append(safe_row([area, label, item.name]))
    return _response(book, "coverage")


def members_workbook(members) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Party members")[:31]
    sheet.append([pgettext("person", "Name"), _("Party organization"), _("Grid of residence"), _("Employed"),
                  _("Reported to the community on"), _("Grid served"), _("Service minutes")])
    for member in members:
        sheet.append(safe_row([mask_name(member.resident.name), member.organization.name, member.region_code,
                               _("Yes") if member.employed else _("No"),
                               member.reported_on, member.grid.name if member.grid_id else "",
                               member.minutes_served]))
    return _response(book, "party-members")



def chambers_workbook(chambers) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Chambers of commerce")[:31]
    sheet.append([pgettext("organization", "Name"), _("Community code"), _("Office buildings"),
                  _("Member enterprises"), _("Party organization"), _("Entry in the organizations registry"),
                  _("Founded on"), _("Activities")])
    for chamber in chambers:
        sheet.append(safe_row([chamber.name, chamber.region_code,
                               "、".join(b.place.name for b in chamber.buildings.all()),
                               "、".join(e.name for e in chamber.enterprises.all()),
                               chamber.organization.name if chamber.organization_id else "",
                               chamber.registry_entry.name if chamber.registry_entry_id else "",
                               chamber.founded_on, len(chamber.activities.all())]))
    return _response(book, "chambers")


def pledges_workbook(models) -> HttpResponse:
    """The "10+N" list: one row per pledge with what is used and left, and one per use on the second sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Pledges")[:31]
    sheet.append([_("Year"), _("Model enterprise"), _("Unit"), _("Kind of resource"), _("Description"),
                  _("Amount pledged"), _("Amount used"), _("Remaining")])
    uses = book.create_sheet(_("Uses")[:31])
    uses.append([_("Unit"), _("Description"), _("Used on"), _("Used by"), _("Purpose"), _("Amount used")])
    for model in models:
        for pledge in model.pledges.all():
            used = sum(use.amount for use in pledge.uses.all())
            left = "" if pledge.amount is None else pledge.amount - used
            sheet.append(safe_row([model.year, model.enterprise.name, pledge.unit, pledge.get_kind_display(),
                                   pledge.description, "" if pledge.amount is None else pledge.amount, used, left]))
            for use in pledge.uses.all():
                uses.append(safe_row([pledge.unit, pledge.description, use.used_on, use.used_by, use.purpose,
                                      use.amount]))
    return _response(book, "pledges")
