"""The "向日葵工程": the ten model enterprises (十大标兵) of a year, each heading a "10+N" group whose units pledge
resources (rooms, vehicles, services, money) and record each use."""

from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from civicgrid.core import audit
from civicgrid.core.errors import ValidationFailed
from civicgrid.partybuilding.errors import PledgeExhausted
from civicgrid.partybuilding.models import Enterprise, ModelEnterprise, Pledge, PledgeUse, ResourceKind
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
def add_pledge(*, actor, model_id: int, unit: str, kind: str, description: str, amount: int | None) -> Pledge:
    """A unit of the model enterprise's group pledges a resource; `amount` None pledges it without a quantity."""
    model = ModelEnterprise.objects.get_managed(actor, pk=model_id)
    if kind not in ResourceKind.values:
        raise ValidationFailed(_("Choose a kind of resource."), code="invalid_kind", field="kind")
    quantity = None if amount is None else count(amount, field="amount", low=1, high=10**8)
    pledge = Pledge.objects.create(model=model, unit=text(unit, field="unit", high=100), kind=kind,
                                   description=text(description, field="description"), amount=quantity)
    audit.record(actor=actor, action="partybuilding.pledge.add", target=pledge, region_code=model.region_code,
                 detail={"kind": kind, "amount": pledge.amount, "unit": pledge.unit})
    return pledge


def used_of(pledge: Pledge) -> int:
    return pledge.uses.aggregate(total=Sum("amount"))["total"] or 0


@transaction.atomic
def record_use(*, actor, pledge_id: int, used_on: date, used_by: str, purpose: str, amount: int) -> PledgeUse:
    """A use of a pledge, never beyond a pledged quantity (checked under the pledge's lock, so two uses recorded at
    once cannot both take the last of it)."""
    Pledge.objects.get_managed(actor, pk=pledge_id)
    pledge = Pledge.objects.select_for_update(of=("self",)).select_related("model").get(pk=pledge_id)
    amount = count(amount, field="amount", low=1, high=10**8)
    if used_on is None or used_on > date.today():
        raise ValidationFailed(_("Give the day of the use (not in the future)."), code="invalid_date",
                               field="used_on")
    remaining = None if pledge.amount is None else pledge.amount - used_of(pledge)
    if remaining is not None and amount > remaining:
        raise PledgeExhausted(details=[{"remaining": remaining}])
    use = PledgeUse.objects.create(pledge=pledge, used_on=used_on, used_by=text(used_by, field="used_by", high=100),
                                   purpose=text(purpose, field="purpose"), amount=amount)
    audit.record(actor=actor, action="partybuilding.pledge.use", target=pledge, region_code=pledge.model.region_code,
                 detail={"amount": amount, "remaining": None if remaining is None else remaining - amount})
    return use
