"""Purchases: started from a measured need, a call published, bids taken from eligible organizations."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.core import audit
from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.core.scoping import ensure_manages, manages
from civicgrid.procurement import needs
from civicgrid.procurement.errors import WrongStage
from civicgrid.procurement.models import BudgetLine, CatalogueItem, Criterion, NeedKind, Purchase, Stage
from civicgrid.procurement.services.catalogue import refuse_negative_list
from civicgrid.procurement.services.common import expect_stage, managed_purchase, money, text_between


def _regions(actor, codes, *, field: str) -> list[str]:
    regions = sorted({str(code).strip() for code in codes or [] if str(code).strip()})
    for code in regions:
        if not code.isdigit() or len(code) not in (6, 9, 12, 15):
            raise ValidationFailed(_("Give region codes."), code=f"invalid_{field}", field=field)
        ensure_manages(actor, code)
    return regions


def _need(actor, kind: str, category: str, regions) -> tuple[str, str, list[str], dict]:
    if not kind:
        return "", "", [], {}
    if kind not in NeedKind.values:
        raise ValidationFailed(code="invalid_need", field="need_kind")
    category = (category or "").strip()
    if not category:
        raise ValidationFailed(_("Name the category of the need."), code="invalid_need_category",
                               field="need_category")
    codes = _regions(actor, regions, field="need_regions")
    if not codes:
        raise ValidationFailed(_("Name the areas of the need."), code="invalid_need_regions", field="need_regions")
    if kind == NeedKind.GAP and any(len(code) != 12 for code in codes):
        raise ValidationFailed(_("A service-circle gap is measured per community."), code="invalid_need_regions",
                               field="need_regions")
    return kind, category, codes, needs.measure(kind, category, codes)


@transaction.atomic
def start_purchase(*, actor, budget_line_id: int, item_id: int, title: str, description: str, ceiling,
                   recurring: bool = False, beneficiary_regions=(), need_kind: str = "", need_category: str = "",
                   need_regions=(), nature: str = "service") -> Purchase:
    """A purchase project of the actor's office, optionally started from a measured need (its figures kept)."""
    refuse_negative_list(nature)
    line = BudgetLine.objects.visible_to(actor).filter(pk=budget_line_id).first()
    if line is None:
        raise NotFound()
    ensure_manages(actor, line.region_code)
    item = CatalogueItem.objects.filter(pk=item_id, active=True).first()
    if item is None:
        raise ValidationFailed(_("Choose an item of the catalogue."), code="invalid_item", field="item")
    ceiling = money(ceiling, field="ceiling")
    if ceiling > line.available:
        raise ValidationFailed(_("The ceiling is more than the budget line has left (%(left)s yuan).")
                               % {"left": line.available}, code="over_budget", field="ceiling")
    kind, category, codes, before = _need(actor, need_kind, need_category, need_regions)
    beneficiaries = _regions(actor, beneficiary_regions, field="beneficiary_regions") or codes or [line.region_code]
    purchase = Purchase(region_code=line.region_code, title=text_between(title, field="title", high=200),
                        description=text_between(description, field="description"), item=item, budget_line=line,
                        ceiling=ceiling, recurring=bool(recurring), beneficiary_regions=beneficiaries,
                        need_kind=kind, need_category=category, need_regions=codes, need_before=before,
                        created_by=actor)
    purchase.full_clean()
    purchase.save()
    audit.record(actor=actor, action="procurement.purchase.start", target=purchase, region_code=purchase.region_code,
                 detail={"need": kind, "ceiling": str(ceiling)})
    return purchase


def _criteria(criteria) -> list[tuple[str, int]]:
    rows = [(text_between(name, field="criteria", low=1, high=100), int(weight)) for name, weight in criteria or []]
    if not rows or any(weight <= 0 for _name, weight in rows) or sum(weight for _name, weight in rows) != 100:
        raise ValidationFailed(_("Give review criteria whose weights add up to 100."), code="invalid_criteria",
                               field="criteria")
    return rows


@transaction.atomic
def publish_call(*, actor, purchase_id: int, call_text: str, bid_deadline: date, criteria,
                 min_rating: int = 3, clean_years: int = 3) -> Purchase:
    """The call (公告): public from now on, with its review criteria and eligibility rules."""
    purchase = managed_purchase(actor, purchase_id, lock=True)
    expect_stage(purchase, Stage.DRAFT)
    if not isinstance(bid_deadline, date) or bid_deadline < timezone.localdate():
        raise ValidationFailed(_("The bid deadline must be today or later."), code="invalid_deadline",
                               field="bid_deadline")
    if not 0 <= int(min_rating) <= 5 or not 0 <= int(clean_years) <= 10:
        raise ValidationFailed(code="invalid_eligibility", field="min_rating")
    rows = _criteria(criteria)
    Criterion.objects.bulk_create([Criterion(purchase=purchase, name=name, weight=weight) for name, weight in rows])
    purchase.call_text = text_between(call_text, field="call_text")
    purchase.bid_deadline, purchase.min_rating, purchase.clean_years = bid_deadline, int(min_rating), int(clean_years)
    purchase.stage, purchase.published_at = Stage.CALL, timezone.now()
    purchase.save()
    audit.record(actor=actor, action="procurement.call.publish", target=purchase, region_code=purchase.region_code,
                 detail={"deadline": bid_deadline.isoformat()})
    return purchase


@transaction.atomic
def close_call(*, actor, purchase_id: int) -> Purchase:
    purchase = managed_purchase(actor, purchase_id, lock=True)
    expect_stage(purchase, Stage.CALL)
    if not purchase.bids.filter(state="submitted").exists():
        raise ValidationFailed(_("No bid arrived: extend the deadline or cancel the purchase."), code="no_bids")
    purchase.stage = Stage.REVIEW
    purchase.save(update_fields=["stage"])
    audit.record(actor=actor, action="procurement.call.close", target=purchase, region_code=purchase.region_code)
    return purchase


@transaction.atomic
def cancel_purchase(*, actor, purchase_id: int, reason: str) -> Purchase:
    purchase = managed_purchase(actor, purchase_id, lock=True)
    if purchase.stage not in (Stage.DRAFT, Stage.CALL, Stage.REVIEW):
        raise WrongStage()
    purchase.stage = Stage.CANCELLED
    purchase.award_reason = text_between(reason, field="reason")
    purchase.save(update_fields=["stage", "award_reason"])
    audit.record(actor=actor, action="procurement.purchase.cancel", target=purchase, region_code=purchase.region_code)
    return purchase


def may_manage(actor, purchase: Purchase) -> bool:
    return manages(actor, purchase.region_code)
