"""The "向日葵工程": the ten model enterprises (十大标兵) of a year, each heading a "10+N" group whose units pledge
resources (rooms, vehicles, services, money) and record each use; chambers of commerce in office buildings."""

from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from civicgrid.core import audit, creditcode
from civicgrid.core.errors import ValidationFailed
from civicgrid.partybuilding.errors import PledgeExhausted
from civicgrid.partybuilding.models import (
    BuildingProfile,
    Chamber,
    ChamberActivity,
    Enterprise,
    ModelEnterprise,
    PartyOrganization,
    Pledge,
    PledgeUse,
    ResourceKind,
)
from civicgrid.partybuilding.services.common import count, ensure_evaluator, text

MODELS_PER_YEAR = 10


@transaction.atomic
def name_model_enterprise(*, actor, enterprise_id: int, year: int, rank: int) -> ModelEnterprise:
    """The district (or a subdistrict) names one of the year's ten model enterprises."""
    ensure_evaluator(actor)
    enterprise = Enterprise.objects.get_managed(actor, pk=enterprise_id)
    year, rank = count(year, field="year", low=2000, high=2100), count(rank, field="rank", low=1, high=MODELS_PER_YEAR)
    taken = ModelEnterprise.objects.select_for_update().filter(year=year)
    if taken.filter(rank=rank).exists():
        raise ValidationFailed(_("This rank is already given for the year."), code="rank_taken", field="rank")
    if taken.filter(enterprise=enterprise).exists():
        raise ValidationFailed(_("This enterprise is already a model enterprise of the year."),
                               code="already_model", field="enterprise_id")
    made = ModelEnterprise(enterprise=enterprise, year=year, rank=rank)
    made.save()
    audit.record(actor=actor, action="partybuilding.model.name", target=made, region_code=made.region_code,
                 detail={"year": year, "rank": rank})
    return made


@transaction.atomic
def add_pledge(*, actor, model_id: int, unit: str, kind: str, description: str, amount: int) -> Pledge:
    model = ModelEnterprise.objects.get_managed(actor, pk=model_id)
    if kind not in ResourceKind.values:
        raise ValidationFailed(_("Choose a kind of resource."), code="invalid_kind", field="kind")
    pledge = Pledge.objects.create(model=model, unit=text(unit, field="unit", high=100), kind=kind,
                                   description=text(description, field="description"),
                                   amount=count(amount, field="amount", low=1, high=10**8))
    audit.record(actor=actor, action="partybuilding.pledge.add", target=pledge, region_code=model.region_code,
                 detail={"kind": kind, "amount": pledge.amount})
    return pledge


def used_of(pledge: Pledge) -> int:
    return pledge.uses.aggregate(total=Sum("amount"))["total"] or 0


@transaction.atomic
def record_use(*, actor, pledge_id: int, used_on: date, used_by: str, purpose: str, amount: int) -> PledgeUse:
    """A use of a pledge, never beyond what was pledged (checked under the pledge's lock)."""
    Pledge.objects.get_managed(actor, pk=pledge_id)
    pledge = Pledge.objects.select_for_update(of=("self",)).select_related("model").get(pk=pledge_id)
    amount = count(amount, field="amount", low=1, high=10**8)
    if used_on is None or used_on > date.today():
        raise ValidationFailed(_("Give the day of the use (not in the future)."), code="invalid_date",
                               field="used_on")
    remaining = pledge.amount - used_of(pledge)
    if amount > remaining:
        raise PledgeExhausted(details=[{"remaining": remaining}])
    use = PledgeUse.objects.create(pledge=pledge, used_on=used_on, used_by=text(used_by, field="used_by", high=100),
                                   purpose=text(purpose, field="purpose"), amount=amount)
    audit.record(actor=actor, action="partybuilding.pledge.use", target=pledge, region_code=pledge.model.region_code,
                 detail={"amount": amount, "remaining": remaining - amount})
    return use


@transaction.atomic
def create_chamber(*, actor, name: str, building_ids, enterprise_ids=(), organization_id: int | None = None,
                   credit_code: str = "", founded_on: date | None = None) -> Chamber:
    """A chamber of commerce among a building's enterprises. Its credit code is optional until the organizations
    registry holds the chamber itself."""
    buildings = [BuildingProfile.objects.get_managed(actor, pk=pk) for pk in building_ids or ()]
    if not buildings:
        raise ValidationFailed(_("Name the building(s) of the chamber."), code="building_required",
                               field="building_ids")
    enterprises = [Enterprise.objects.get_managed(actor, pk=pk) for pk in enterprise_ids or ()]
    if any(e.building_id not in {b.pk for b in buildings} for e in enterprises):
        raise ValidationFailed(_("Member enterprises are tenants of the chamber's buildings."), code="not_a_tenant",
                               field="enterprise_ids")
    organization = PartyOrganization.objects.get_visible(actor, pk=organization_id) if organization_id else None
    code = creditcode.clean_credit_code(credit_code) if (credit_code or "").strip() else ""
    chamber = Chamber.objects.create(name=text(name, field="name", high=100),
                                     region_code=buildings[0].region_code[:12], credit_code=code,
                                     organization=organization, founded_on=founded_on)
    chamber.buildings.set(buildings)
    chamber.enterprises.set(enterprises)
    audit.record(actor=actor, action="partybuilding.chamber.create", target=chamber, region_code=chamber.region_code,
                 detail={"buildings": len(buildings), "enterprises": len(enterprises)})
    return chamber


@transaction.atomic
def add_chamber_activity(*, actor, chamber_id: int, title: str, held_on: date) -> ChamberActivity:
    chamber = Chamber.objects.get_managed(actor, pk=chamber_id)
    if held_on is None:
        raise ValidationFailed(code="invalid_date", field="held_on")
    made = ChamberActivity.objects.create(chamber=chamber, title=text(title, field="title", high=100),
                                          held_on=held_on)
    audit.record(actor=actor, action="partybuilding.chamber.activity", target=chamber,
                 region_code=chamber.region_code)
    return made
