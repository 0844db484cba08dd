"""Bids, the expert panel (conflict-of-interest declarations, weighted scores) and the award, which commits the
budget line under a row lock so that concurrent awards never exceed it."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.core import audit
from civicgrid.core.errors import NotFound, PermissionDenied, ValidationFailed
from civicgrid.procurement import orgs
from civicgrid.procurement.errors import BudgetExceeded, ConflictOfInterest, NotDeclared, NotEligible
from civicgrid.procurement.models import Bid, BudgetLine, Evaluation, Purchase, Reviewer, Score, Stage
from civicgrid.procurement.services.common import expect_stage, managed_purchase, money, text_between


def failed_evaluation_within(organization, *, years: int, today=None) -> Evaluation | None:
    """The organization's latest failed performance evaluation in the last `years` years, if any."""
    if years <= 0:
        return None
    since = (today or timezone.now()) - timedelta(days=365 * years)
    return (Evaluation.objects.filter(contract__organization=organization, passed=False, evaluated_at__gte=since)
            .order_by("-evaluated_at").first())


def eligibility_problems(organization, purchase: Purchase) -> list[str]:
    """What keeps the organization from bidding: the registry's rules (registered, rating ≥ the call's level and
    unexpired, last year's annual report filed) and no failed evaluation in the call's last N years."""
    problems = list(orgs.eligibility_problems(organization, min_rating=purchase.min_rating,
                                              year=timezone.localdate().year))
    if failed_evaluation_within(organization, years=purchase.clean_years):
        problems.append(_("A performance evaluation failed in the last %(years)s years.")
                        % {"years": purchase.clean_years})
    return problems


@transaction.atomic
def submit_bid(*, actor, purchase_id: int, amount, proposal: str, beneficiaries_planned: int = 0) -> Bid:
    organization = orgs.organization_of(actor)
    if organization is None:
        raise PermissionDenied(_("Only a social organization's account can bid."))
    purchase = Purchase.objects.select_for_update().filter(pk=purchase_id, published_at__isnull=False).first()
    if purchase is None:
        raise NotFound()
    expect_stage(purchase, Stage.CALL)
    if purchase.bid_deadline and timezone.localdate() > purchase.bid_deadline:
        raise ValidationFailed(_("The bid deadline has passed."), code="deadline_passed")
    problems = eligibility_problems(organization, purchase)
    if problems:
        raise NotEligible(_("This organization is not eligible to bid: %(problems)s")
                          % {"problems": " ".join(str(p) for p in problems)}, details=[str(p) for p in problems])
    amount = money(amount, field="amount")
    if amount > purchase.ceiling:
        raise ValidationFailed(_("The bid is above the ceiling price (%(ceiling)s yuan).")
                               % {"ceiling": purchase.ceiling}, code="above_ceiling", field="amount")
    if Bid.objects.filter(purchase=purchase, organization=organization).exists():
        raise ValidationFailed(_("This organization has already bid."), code="duplicate_bid")
    bid = Bid(purchase=purchase, organization=organization, amount=amount, submitted_by=actor,
              proposal=text_between(proposal, field="proposal"),
              beneficiaries_planned=max(0, int(beneficiaries_planned)))
    bid.full_clean(exclude=["purchase", "organization"])
    bid.save()
    audit.record(actor=actor, action="procurement.bid.submit", target=bid, region_code=purchase.region_code,
                 detail={"amount": str(amount)})
    return bid


@transaction.atomic
def add_reviewer(*, actor, purchase_id: int, username: str) -> Reviewer:
    purchase = managed_purchase(actor, purchase_id)
    expect_stage(purchase, Stage.CALL, Stage.REVIEW)
    user = get_user_model().objects.filter(username=(username or "").strip(), is_active=True).first()
    if user is None:
        raise ValidationFailed(_("No active account has this user name."), code="unknown_user", field="username")
    reviewer, created = Reviewer.objects.get_or_create(purchase=purchase, user=user)
    if created:
        audit.record(actor=actor, action="procurement.panel.add", target=reviewer, region_code=purchase.region_code,
                     detail={"reviewer": user.get_username()})
    return reviewer


def _seat(actor, purchase_id: int) -> Reviewer:
    seat = Reviewer.objects.select_related("purchase").filter(purchase_id=purchase_id, user=actor).first()
    if seat is None or not getattr(actor, "is_authenticated", False):
        raise NotFound()
    return seat


@transaction.atomic
def declare(*, actor, purchase_id: int, conflict: bool, note: str = "") -> Reviewer:
    """A reviewer's conflict-of-interest declaration, made once before scoring; it cannot be withdrawn."""
    seat = _seat(actor, purchase_id)
    if seat.declared_at is not None:
        raise ValidationFailed(_("You have already declared."), code="already_declared")
    seat.conflict = bool(conflict) or _works_for_a_bidder(actor, seat.purchase)
    seat.conflict_note = (note or "").strip()[:300]
    if seat.conflict and not seat.conflict_note:
        seat.conflict_note = _("works for a bidding organization")
    seat.declared_at = timezone.now()
    seat.save()
    audit.record(actor=actor, action="procurement.panel.declare", target=seat, region_code=seat.purchase.region_code,
                 detail={"conflict": seat.conflict})
    return seat


def _works_for_a_bidder(actor, purchase: Purchase) -> bool:
    return any(orgs.is_member(actor, bid.organization) for bid in purchase.bids.select_related("organization"))


@transaction.atomic
def score_bid(*, actor, bid_id: int, values: dict[int, int]) -> list[Score]:
    """One reviewer's scores (0–100) for every criterion of one bid; refused to a conflicted reviewer."""
    bid = Bid.objects.select_related("purchase", "organization").filter(pk=bid_id).first()
    if bid is None:
        raise NotFound()
    seat = _seat(actor, bid.purchase_id)
    expect_stage(bid.purchase, Stage.REVIEW)
    if seat.declared_at is None:
        raise NotDeclared()
    if seat.conflict or orgs.is_member(actor, bid.organization):
        raise ConflictOfInterest()
    criteria = {criterion.pk: criterion for criterion in bid.purchase.criteria.all()}
    given = {int(key): value for key, value in (values or {}).items()}
    if set(given) != set(criteria) or any(not str(v).isdigit() or not 0 <= int(v) <= 100 for v in given.values()):
        raise ValidationFailed(_("Score every criterion from 0 to 100."), code="invalid_scores", field="scores")
    scores = []
    for criterion_id, value in given.items():
        score, _created = Score.objects.update_or_create(reviewer=seat, bid=bid, criterion_id=criterion_id,
                                                         defaults={"value": int(value)})
        scores.append(score)
    audit.record(actor=actor, action="procurement.bid.score", target=bid, region_code=bid.purchase.region_code,
                 detail={"scores": {str(k): int(v) for k, v in given.items()}})
    return scores


def _lock_line(line_id: int) -> BudgetLine:
    return BudgetLine.objects.select_for_update().get(pk=line_id)


@transaction.atomic
def award(*, actor, purchase_id: int, bid_id: int, reason: str) -> Purchase:
    """Award one bid with the published reasons; its amount is committed on the budget line, which is locked:
    concurrent awards on one line are serialized and never exceed it."""
    purchase = managed_purchase(actor, purchase_id, lock=True)
    expect_stage(purchase, Stage.REVIEW)
    bid = purchase.bids.filter(pk=bid_id, state=Bid.State.SUBMITTED).first()
    if bid is None:
        raise ValidationFailed(_("Choose a submitted bid of this purchase."), code="invalid_bid", field="bid")
    reason = text_between(reason, field="reason", low=4)
    line = _lock_line(purchase.budget_line_id)
    if line.committed + bid.amount > line.amount:
        raise BudgetExceeded(_("The budget line has %(left)s yuan left; this award needs %(amount)s.")
                             % {"left": line.amount - line.committed, "amount": bid.amount})
    BudgetLine.objects.filter(pk=line.pk).update(committed=F("committed") + bid.amount)
    purchase.bids.exclude(pk=bid.pk).filter(state=Bid.State.SUBMITTED).update(state=Bid.State.DECLINED)
    Bid.objects.filter(pk=bid.pk).update(state=Bid.State.AWARDED)
    purchase.awarded_bid, purchase.award_amount, purchase.award_reason = bid, bid.amount, reason
    purchase.awarded_at, purchase.stage = timezone.now(), Stage.AWARDED
    purchase.save()
    audit.record(actor=actor, action="procurement.award", target=purchase, region_code=purchase.region_code,
                 detail={"bid": bid.pk, "amount": str(bid.amount), "organization": bid.organization_id})
    return purchase


def release(line_id: int, amount: Decimal) -> None:
    """Give back committed money that will not be paid (a withheld final instalment). Inside a transaction."""
    _lock_line(line_id)
    BudgetLine.objects.filter(pk=line_id).update(committed=F("committed") - amount)
