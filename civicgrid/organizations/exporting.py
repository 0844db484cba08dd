"""The registry as xlsx: the current filtered list, legal representatives masked, audited."""

import io

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from civicgrid.core import audit
from civicgrid.core.errors import PermissionDenied
from civicgrid.core.exports import safe_row
from civicgrid.core.personal import mask_name
from civicgrid.core.scoping import area_of
from civicgrid.organizations import selectors
from civicgrid.organizations.models import AnnualReport

MAX_EXPORT_ROWS = 50_000


def headers(year: int) -> list[str]:
    return [_("Name"), _("Kind"), _("Field"), _("Status"), _("Registration"), _("Registration authority"),
            _("Registered on"), _("Unified social credit code"), _("Registering office"), _("Service area"),
            _("Legal representative (masked)"), _("ID number (masked)"), _("Phone (masked)"), _("Staff"),
            _("Volunteers"), _("Assessment grade"), _("Grade valid until"),
            _("Annual report %(year)d") % {"year": year}, _("Party organization")]


def _row(org, report_status: dict, year: int) -> list:
    reports = dict(AnnualReport.Status.choices)
    status = report_status.get(org.pk, "")
    return safe_row([org.name, org.get_kind_display(), org.get_field_display(), org.get_status_display(),
                     org.get_registration_display(), org.registration_authority, org.registered_on,
                     org.credit_code, org.region.name, "、".join(r.name for r in org.service_area.all()),
                     mask_name(org.rep_name), org.rep_id_number_masked, org.rep_phone_masked, org.staff_count,
                     org.volunteer_count, org.rating_label, org.rating_expires_on,
                     str(reports[status]) if status else _("Not filed"), org.party_organization])


def export_registry_xlsx(*, actor, filters: dict) -> tuple[bytes, int]:
    if area_of(actor) is None:
        raise PermissionDenied(_("Only staff with a jurisdiction can export the registry."))
    year = timezone.localdate().year - 1
    found = selectors.organizations_for(actor=actor, **filters).prefetch_related("service_area")[:MAX_EXPORT_ROWS]
    rows = list(found)
    report_status = dict(AnnualReport.objects.filter(organization__in=[o.pk for o in rows], year=year)
                         .values_list("organization_id", "status"))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Social organizations"))
    sheet.append(headers(year))
    for org in rows:
        sheet.append(_row(org, report_status, year))
    buffer = io.BytesIO()
    workbook.save(buffer)
    with transaction.atomic():
        audit.record(actor=actor, action="organizations.export", region_code=area_of(actor) or "",
                     detail={"count": len(rows),
                             "filters": {k: str(v) for k, v in filters.items() if v not in (None, "")}})
    return buffer.getvalue(), len(rows)
