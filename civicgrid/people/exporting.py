"""Export the current filtered resident list to xlsx: masked ID numbers and phones only, audited."""

import io
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from civicgrid.core import audit
from civicgrid.core.errors import PermissionDenied
from civicgrid.core.exports import safe_row
from civicgrid.core.scoping import area_of
from civicgrid.people import selectors
from civicgrid.people.models import SpecialGroup
from civicgrid.people.services import age_on

MAX_EXPORT_ROWS = 100_000


def _headers() -> list[str]:
    return [pgettext("person", "Name"), _("Gender"), _("Age"), _("ID number (masked)"), _("Phone (masked)"),
            _("Compound"), _("Building / unit / room"), _("Region code"), _("Residence"), _("Special groups"),
            _("Party member")]


def _row(resident, today: date) -> list:
    labels = dict(SpecialGroup.choices)
    return safe_row([resident.name, resident.get_gender_display(), age_on(resident.birth_date, today),
                     resident.id_number_masked, resident.phone_masked, resident.place.name,
                     resident.household.unit_label, resident.region_code, resident.get_residence_display(),
                     "、".join(str(labels[g.group]) for g in resident.groups.all()),
                     _("Yes") if resident.is_party_member else _("No")])


def export_residents_xlsx(*, actor, filters: dict) -> tuple[bytes, int]:
    """The residents `residents_for(actor=actor, **filters)` returns, as xlsx bytes, and their count."""
    if area_of(actor) is None:
        raise PermissionDenied(_("Only staff with a jurisdiction can export residents."))
    queryset = selectors.residents_for(actor=actor, **filters)
    today = date.today()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Residents"))
    sheet.append(_headers())
    count = 0
    for resident in queryset[:MAX_EXPORT_ROWS].iterator(chunk_size=2000):
        sheet.append(_row(resident, today))
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    with transaction.atomic():
        audit.record(actor=actor, action="people.resident.export", region_code=area_of(actor) or "",
                     detail={"count": count, "filters": {k: str(v) for k, v in filters.items() if v not in (None, "")}})
    return buffer.getvalue(), count
