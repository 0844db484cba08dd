"""Every procurement read takes the actor and stays inside its jurisdiction. The buyer's office sees its
purchases; a bidding organization sees the purchase it bid on and only its own bid; a reviewer sees the purchases
whose panel they sit on. Public reads (the disclosure page, the 360Giving export) read published records only."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext as _

from civicgrid.core.errors import NotFound
from civicgrid.core.numbers import percent
from civicgrid.core.registry import Figure, region_names
from civicgrid.core.scoping import ScopedQuerySet, area_of, covers, manages
from civicgrid.procurement import needs, orgs
from civicgrid.procurement.models import (
    Bid,
    BudgetLine,
    CatalogueItem,
    Contract,
    Evaluation,
    Instalment,
    Purchase,
    Reviewer,
    Stage,
)

BOARD_STAGES = (Stage.DRAFT, Stage.CALL, Stage.REVIEW, Stage.AWARDED, Stage.CONTRACTED, Stage.EVALUATED, Stage.PAID)


def catalogue(*, active_only: bool = True) -> QuerySet[CatalogueItem]:
    items = CatalogueItem.objects.all()
    return items.filter(active=True) if active_only else items


def budget_lines(*, actor, year: int | None = None) -> ScopedQuerySet:
    lines = BudgetLine.objects.visible_to(actor)
    return lines.filter(year=year) if year else lines


def budget_lines_managed(*, actor) -> QuerySet[BudgetLine]:
    """The lines a purchase may be started on: those of the actor's own area and below."""
    return BudgetLine.objects.managed_by(actor)


def purchases(*, actor, stage: str | None = None) -> ScopedQuerySet:
    found = Purchase.objects.visible_to(actor).select_related("item", "budget_line", "awarded_bid__organization")
    return found.filter(stage=stage) if stage else found


def get_purchase(*, actor, purchase_id: int) -> Purchase:
    found = purchases(actor=actor).filter(pk=purchase_id).first()
    if found is None:
        raise NotFound()
    return found


def is_buyer(actor, purchase: Purchase) -> bool:
    return manages(actor, purchase.region_code) or covers(actor, purchase.region_code)


def bids_for(*, actor, purchase: Purchase) -> QuerySet[Bid]:
    """The buyer's office and the panel see every bid; an organization only its own."""
    bids = purchase.bids.select_related("organization")
    if is_buyer(actor, purchase) or Reviewer.objects.filter(purchase=purchase, user=actor).exists():
        return bids
    organization = orgs.organization_of(actor)
    return bids.filter(organization=organization) if organization is not None else bids.none()


def seat_of(*, actor, purchase: Purchase) -> Reviewer | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    return Reviewer.objects.filter(purchase=purchase, user=actor).first()


def ranking(purchase: Purchase) -> list[dict]:
    """Bids by weighted score: per reviewer Σ weight × score / 100, averaged over the reviewers who scored
    (conflicted reviewers never score)."""
    weights = {c.pk: c.weight for c in purchase.criteria.all()}
    per: dict[tuple[int, int], Decimal] = {}
    for bid_id, reviewer_id, criterion_id, value in (
            purchase.bids.values_list("pk", "scores__reviewer", "scores__criterion", "scores__value")):
        if reviewer_id is None:
            continue
        key = (bid_id, reviewer_id)
        per[key] = per.get(key, Decimal(0)) + Decimal(weights.get(criterion_id, 0) * value) / 100
    rows = []
    for bid in purchase.bids.select_related("organization"):
        mine = [score for (bid_id, _r), score in per.items() if bid_id == bid.pk]
        total = sum(mine) / len(mine) if mine else None
        rows.append({"bid": bid, "score": round(float(total), 1) if total is not None else None,
                     "reviewers": len(mine)})
    return sorted(rows, key=lambda r: -(r["score"] if r["score"] is not None else -1))


def board(*, actor) -> list[dict]:
    """The purchase pipeline (kanban): each stage with its purchases."""
    found = purchases(actor=actor).exclude(stage=Stage.CANCELLED)
    columns: dict[str, list[Purchase]] = {stage: [] for stage in BOARD_STAGES}
    for purchase in found[:500]:
        columns[purchase.stage].append(purchase)
    return [{"stage": stage, "label": str(Stage(stage).label), "purchases": items} for stage, items in columns.items()]


def stage_counts(*, actor) -> dict[str, int]:
    return dict(Counter(purchases(actor=actor).values_list("stage", flat=True)))


def need_now(purchase: Purchase) -> dict:
    """The need measured now beside when the purchase started, and the relative change of its headline."""
    if not purchase.need_kind:
        return {}
    after = needs.measure(purchase.need_kind, purchase.need_category, purchase.need_regions)
    names = region_names(set(purchase.need_regions))
    return {"before": purchase.need_before, "after": after,
            "change": needs.change(purchase.need_kind, purchase.need_before, after),
            "before_value": needs.headline(purchase.need_kind, purchase.need_before),
            "after_value": needs.headline(purchase.need_kind, after),
            "category": needs.category_label(purchase.need_kind, purchase.need_category),
            "regions": [names.get(code, code) for code in purchase.need_regions]}


# --- contracts, execution, value for money -------------------------------------------------------------------

def contract_of(*, actor, contract_id: int) -> Contract:
    """A contract its buyer's office or its organization may open."""
    contract = Contract.objects.select_related("purchase", "organization").filter(pk=contract_id).first()
    if contract is None:
        raise NotFound()
    if orgs.is_member(actor, contract.organization) or is_buyer(actor, contract.purchase):
        return contract
    raise NotFound()


def volunteer_hours(contract: Contract) -> Decimal:
    """Confirmed volunteering hours of the provider's own teams during the contract."""
    from civicgrid.volunteering.models import ServiceRecord

    minutes = (ServiceRecord.objects.filter(team__org_user__in=orgs.users_of(contract.organization),
                                            service_date__range=(contract.starts_on, contract.ends_on),
                                            status="confirmed").aggregate(total=Sum("minutes"))["total"]) or 0
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"))


def value_for_money(contract: Contract) -> dict:
    """Paid money against what the provider's reports and the volunteering records show."""
    reported = contract.reports.aggregate(people=Sum("beneficiaries"), hours=Sum("service_hours"))
    paid = contract.instalments.filter(state=Instalment.State.PAID).aggregate(t=Sum("amount"))["t"] or Decimal(0)
    spent = paid or Decimal(0)
    people = reported["people"] or 0
    staff_hours = reported["hours"] or Decimal(0)
    volunteering = volunteer_hours(contract)
    hours = staff_hours + volunteering
    basis = spent if spent else contract.amount
    return {"paid": paid, "beneficiaries": people, "staff_hours": staff_hours, "volunteer_hours": volunteering,
            "cost_per_beneficiary": (basis / people).quantize(Decimal("0.01")) if people else None,
            "cost_per_hour": (basis / hours).quantize(Decimal("0.01")) if hours else None,
            "basis_paid": bool(spent)}


def execution_rate(lines) -> float | None:
    """Budget execution rate: paid over budget of the given lines."""
    totals = lines.aggregate(amount=Sum("amount"), paid=Sum("paid"))
    return float(totals["paid"] / totals["amount"]) if totals["amount"] else None


def cost_per_beneficiary(contracts) -> float | None:
    """Paid money over the beneficiaries the providers reported, for the given contracts."""
    from civicgrid.procurement.models import Report

    paid = Instalment.objects.filter(contract__in=contracts, state=Instalment.State.PAID).aggregate(
        t=Sum("amount"))["t"]
    people = Report.objects.filter(contract__in=contracts).aggregate(p=Sum("beneficiaries"))["p"] or 0
    return float(paid / people) if paid and people else None


# --- the organization portal ----------------------------------------------------------------------------------

def portal(*, actor) -> dict:
    """An organization's own bids, contracts, reports and instalments (invoices)."""
    organization = orgs.organization_of(actor)
    if organization is None:
        return {"organization": None, "bids": [], "contracts": [], "instalments": [], "open_calls": []}
    contracts = Contract.objects.filter(organization=organization).select_related("purchase")
    return {"organization": organization,
            "bids": Bid.objects.filter(organization=organization).select_related("purchase"),
            "contracts": contracts,
            "instalments": Instalment.objects.filter(contract__in=contracts).select_related("contract__purchase"),
            "open_calls": open_calls()}


def open_calls() -> QuerySet[Purchase]:
    return Purchase.objects.filter(stage=Stage.CALL, published_at__isnull=False).select_related("item")


# --- disclosure (public) --------------------------------------------------------------------------------------

def published() -> QuerySet[Purchase]:
    """Published purchases: their calls, awards and evaluations are public (公开)."""
    return (Purchase.objects.filter(published_at__isnull=False).exclude(stage=Stage.CANCELLED)
            .select_related("item", "awarded_bid__organization", "contract__evaluation", "budget_line")
            .order_by("-published_at", "-id"))


def get_published(*, purchase_id: int) -> Purchase:
    found = published().filter(pk=purchase_id).first()
    if found is None:
        raise NotFound()
    return found


def evaluations_published() -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(contract__purchase__published_at__isnull=False).select_related(
        "contract__purchase", "contract__organization")


# --- figures for the home card and the cockpit ----------------------------------------------------------------

def home_figures(user) -> list[Figure]:
    if area_of(user) is None:
        return []
    counts = stage_counts(actor=user)
    url = reverse("procurement:board")
    live = sum(counts.get(s, 0) for s in (Stage.CALL, Stage.REVIEW, Stage.AWARDED, Stage.CONTRACTED))
    rate = execution_rate(budget_lines(actor=user))
    return [Figure(_("Purchases under way"), str(live), url, testid="procurement-live"),
            Figure(_("Budget execution rate"), percent(rate), reverse("procurement:budget"),
                   testid="procurement-execution")]


def kpi_execution(actor, regions, start, end) -> dict:
    """Budget execution rate of the budget lines of each region's subtree, for the year the period starts in."""
    return {region.code: execution_rate(budget_lines(actor=actor, year=start.year)
                                        .within(region.code)) for region in regions}


def kpi_cost_per_beneficiary(actor, regions, start, end) -> dict:
    out = {}
    for region in regions:
        contracts = Contract.objects.filter(purchase__in=purchases(actor=actor).within(
            region.code), signed_at__date__lt=end)
        out[region.code] = cost_per_beneficiary(contracts)
    return out


def kpi_stage(stage: str):
    """Purchases of one stage now, started before the period ended (one KPI per pipeline stage)."""

    def values(actor, regions, start, end) -> dict:
        if not regions:
            return {}
        codes = [region.code for region in regions]  # one level: one length, so one grouped count for all
        rows = (purchases(actor=actor, stage=stage).filter(created_at__date__lt=end)
                .annotate(prefix=Substr("region_code", 1, len(codes[0]))).filter(prefix__in=codes)
                .values("prefix").annotate(n=Count("id")).order_by())
        found = {row["prefix"]: row["n"] for row in rows}
        return {code: found.get(code, 0) for code in codes}

    return values
