"""The guiding catalogue (指导性目录) and budget lines."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicgrid.core import audit
from civicgrid.core.errors import NotFound, PermissionDenied, ValidationFailed
from civicgrid.core.scoping import ensure_manages, managed_area_of
from civicgrid.procurement.errors import NegativeList
from civicgrid.procurement.models import BudgetLine, CatalogueItem, Nature, ServiceField
from civicgrid.procurement.services.common import money, text_between

REASONS: dict[str, Any] = {
    Nature.GOODS: gettext_lazy("goods are bought by goods procurement, not as a service"),
    Nature.WORKS: gettext_lazy("construction works are bought as works, not as a service"),
    Nature.STAFFING: gettext_lazy("labour dispatch (staffing) may not be bought as a service"),
}


def refuse_negative_list(nature: str) -> None:
    """Goods, works and staffing are the negative list: refused with the reason for each."""
    if nature in REASONS:
        raise NegativeList(_("This cannot be bought as a service: %(reason)s.") % {"reason": REASONS[nature]},
                           field="nature")
    if nature not in Nature.values:
        raise ValidationFailed(code="invalid_nature", field="nature")


def _district_office(actor) -> None:
    area = managed_area_of(actor)
    if area is None or len(area) > 6:
        raise PermissionDenied(_("Only the district office keeps the catalogue."))


@transaction.atomic
def add_catalogue_item(*, actor, code: str, name: str, field: str, nature: str = Nature.SERVICE,
                       priority: bool = False, description: str = "") -> CatalogueItem:
    _district_office(actor)
    refuse_negative_list(nature)
    if field not in ServiceField.values:
        raise ValidationFailed(code="invalid_field", field="field")
    code = text_between(code, field="code", low=1, high=20)
    if CatalogueItem.objects.filter(code=code).exists():
        raise ValidationFailed(_("This code is taken."), code="duplicate_code", field="code")
    item = CatalogueItem(code=code, name=text_between(name, field="name", high=100), field=field, nature=nature,
                         priority=bool(priority), description=(description or "").strip())
    item.full_clean()
    item.save()
    audit.record(actor=actor, action="procurement.catalogue.add", target=item,
                 detail={"code": item.code, "priority": item.priority})
    return item


def _area(value: str) -> str:
    code = (value or "").strip()
    if len(code) not in (6, 9, 12) or not code.isdigit():
        raise ValidationFailed(_("Give the code of the district, a subdistrict or a community."),
                               code="invalid_area", field="region_code")
    return code


@transaction.atomic
def add_budget_line(*, actor, region_code: str, year: int, department: str, amount) -> BudgetLine:
    code = _area(region_code)
    ensure_manages(actor, code)
    if not 2000 <= int(year) <= 2100:
        raise ValidationFailed(code="invalid_year", field="year")
    department = text_between(department, field="department", high=100)
    if BudgetLine.objects.filter(region_code=code, year=year, department=department).exists():
        raise ValidationFailed(_("This department already has a budget line for that year."),
                               code="duplicate_budget_line", field="department")
    line = BudgetLine(region_code=code, year=int(year), department=department, amount=money(amount, field="amount"))
    line.full_clean()
    line.save()
    audit.record(actor=actor, action="procurement.budget.add", target=line, region_code=code,
                 detail={"year": line.year, "amount": str(line.amount)})
    return line


@transaction.atomic
def change_budget(*, actor, line_id: int, amount) -> BudgetLine:
    line = BudgetLine.objects.managed_by(actor).select_for_update().filter(pk=line_id).first()
    if line is None:
        raise NotFound()
    new = money(amount, field="amount")
    if new < line.committed:
        raise ValidationFailed(_("The budget cannot fall below what awards already committed (%(committed)s).")
                               % {"committed": line.committed}, code="below_committed", field="amount")
    old, line.amount = line.amount, new
    line.save(update_fields=["amount"])
    audit.record(actor=actor, action="procurement.budget.change", target=line, region_code=line.region_code,
                 detail={"from": str(old), "to": str(new)})
    return line

