"""Performance evaluation (绩效评价), acceptance and payment by instalments."""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, F
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.core import audit
from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.procurement.errors import WrongStage
from civicgrid.procurement.models import BudgetLine, Dimension, Evaluation, Indicator, Instalment, Stage
from civicgrid.procurement.services.contracts import buyer_contract, provider_contract
from civicgrid.procurement.services.selection import release


def pass_mark() -> Decimal:
    return Decimal(str(getattr(settings, "PROCUREMENT_PASS_MARK", 60)))


def _score(value, *, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise ValidationFailed(code="invalid_score", field=field) from None
    if not number.is_finite() or not 0 <= number <= 100:
        raise ValidationFailed(_("Scores run from 0 to 100."), code="invalid_score", field=field)
    return number


def beneficiary_score(contract) -> Decimal | None:
    """The beneficiaries' survey on 0–100 (5 stars: 100, 1 star: 20), None without answers."""
    average = contract.feedback.aggregate(avg=Avg("satisfaction"))["avg"]
    return (Decimal(str(average)) * 20).quantize(Decimal("0.1")) if average is not None else None


def _indicator_rows(scores: dict, third: dict, beneficiaries: Decimal | None) -> list[dict]:
    indicators = list(Indicator.objects.filter(active=True))
    if not indicators or sum(i.weight for i in indicators) != 100:
        raise ValidationFailed(_("The evaluation template's active weights must add up to 100."),
                               code="invalid_template")
    rows = []
    for indicator in indicators:
        buyer = _score(scores.get(indicator.code), field=indicator.code)
        other = _score(third.get(indicator.code), field=indicator.code)
        survey = beneficiaries if indicator.dimension == Dimension.SATISFACTION else None
        given = [value for value in (buyer, other, survey) if value is not None]
        if buyer is None and survey is None:
            raise ValidationFailed(_("Score every indicator."), code="missing_score", field=indicator.code)
        score = Decimal(sum(given)) / len(given)
        rows.append({"code": indicator.code, "name": indicator.name, "dimension": indicator.dimension,
                     "weight": indicator.weight, "buyer": _plain(buyer), "third_party": _plain(other),
                     "beneficiaries": _plain(survey), "score": _plain(score)})
    return rows


def _plain(value: Decimal | None) -> float | None:
    return float(round(value, 1)) if value is not None else None


@transaction.atomic
def evaluate(*, actor, contract_id: int, scores: dict, third_party_scores: dict | None = None,
             third_party: str = "", comment: str = "") -> Evaluation:
    """Score the contract on the template's indicators (buyer, beneficiaries' survey, optional third party).
    Under the pass mark the final instalment is withheld and its money released from the budget line; a
    failed evaluation keeps the organization from bidding for the years a call names."""
    contract = buyer_contract(actor, contract_id, lock=True)
    if contract.purchase.stage != Stage.CONTRACTED or hasattr(contract, "evaluation"):
        raise WrongStage()
    if third_party_scores and not (third_party or "").strip():
        raise ValidationFailed(_("Name the third-party evaluator."), code="invalid_third_party", field="third_party")
    survey = beneficiary_score(contract)
    rows = _indicator_rows(scores or {}, third_party_scores or {}, survey)
    total = (sum(Decimal(str(r["score"])) * r["weight"] for r in rows) / 100).quantize(Decimal("0.1"))
    threshold = pass_mark()
    evaluation = Evaluation.objects.create(contract=contract, indicators=rows, beneficiary_score=survey,
                                           third_party=(third_party or "").strip()[:100], total=total,
                                           threshold=threshold, passed=total >= threshold,
                                           comment=(comment or "").strip(), evaluated_by=actor)
    if not evaluation.passed:
        final = contract.instalments.filter(final=True, state=Instalment.State.DUE).first()
        if final is not None:
            final.state = Instalment.State.WITHHELD
            final.save(update_fields=["state"])
            release(contract.purchase.budget_line_id, final.amount)
    contract.purchase.stage = Stage.EVALUATED
    contract.purchase.save(update_fields=["stage"])
    audit.record(actor=actor, action="procurement.evaluate", target=evaluation,
                 region_code=contract.purchase.region_code,
                 detail={"total": str(total), "passed": evaluation.passed})
    _finish_if_settled(contract)
    return evaluation


@transaction.atomic
def accept(*, actor, contract_id: int, note: str = "") -> None:
    """验收: the buyer accepts the deliverables (before the final instalment)."""
    contract = buyer_contract(actor, contract_id, lock=True)
    if contract.accepted_at is not None:
        raise WrongStage()
    if contract.purchase.stage not in (Stage.CONTRACTED, Stage.EVALUATED):
        raise WrongStage()
    if not contract.reports.exists():
        raise ValidationFailed(_("No deliverable report yet: nothing to accept."), code="no_reports")
    contract.accepted_at, contract.accepted_note = timezone.now(), (note or "").strip()
    contract.save(update_fields=["accepted_at", "accepted_note"])
    audit.record(actor=actor, action="procurement.accept", target=contract, region_code=contract.purchase.region_code)


def _instalment(instalment_id: int) -> Instalment:
    found = Instalment.objects.select_related("contract__purchase", "contract__organization").filter(
        pk=instalment_id).first()
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def invoice(*, actor, instalment_id: int, invoice_no: str) -> Instalment:
    """The provider sends its invoice for an instalment (the organization portal's invoices page)."""
    instalment = _instalment(instalment_id)
    provider_contract(actor, instalment.contract_id)  # 404 or 403, as for any other contract
    number = (invoice_no or "").strip()
    if not 4 <= len(number) <= 40:
        raise ValidationFailed(_("Give the invoice number."), code="invalid_invoice", field="invoice_no")
    if instalment.state != Instalment.State.DUE or instalment.invoiced_at is not None:
        raise WrongStage()
    instalment.invoice_no, instalment.invoiced_at = number, timezone.now()
    instalment.save(update_fields=["invoice_no", "invoiced_at"])
    audit.record(actor=actor, action="procurement.invoice", target=instalment,
                 region_code=instalment.contract.purchase.region_code, detail={"invoice": number})
    return instalment


@transaction.atomic
def pay(*, actor, instalment_id: int) -> Instalment:
    """Pay an invoiced instalment; the final one only after acceptance and a passed evaluation."""
    instalment = _instalment(instalment_id)
    contract = buyer_contract(actor, instalment.contract_id, lock=True)
    instalment = Instalment.objects.select_for_update().get(pk=instalment.pk)
    if instalment.state != Instalment.State.DUE:
        raise WrongStage()
    if instalment.invoiced_at is None:
        raise ValidationFailed(_("The organization has not sent its invoice yet."), code="not_invoiced")
    if instalment.final:
        evaluation = getattr(contract, "evaluation", None)
        if contract.accepted_at is None or evaluation is None:
            raise ValidationFailed(_("The final instalment waits for acceptance and the performance evaluation."),
                                   code="not_accepted")
    line = BudgetLine.objects.select_for_update().get(pk=contract.purchase.budget_line_id)
    BudgetLine.objects.filter(pk=line.pk).update(paid=F("paid") + instalment.amount)
    instalment.state, instalment.paid_at = Instalment.State.PAID, timezone.now()
    instalment.save(update_fields=["state", "paid_at"])
    audit.record(actor=actor, action="procurement.pay", target=instalment, region_code=contract.purchase.region_code,
                 detail={"amount": str(instalment.amount), "seq": instalment.seq})
    _finish_if_settled(contract)
    return instalment


def _finish_if_settled(contract) -> None:
    """Evaluated and every instalment paid or withheld: the purchase is paid."""
    purchase = contract.purchase
    if purchase.stage == Stage.EVALUATED and not contract.instalments.filter(state=Instalment.State.DUE).exists():
        purchase.stage = Stage.PAID
        purchase.save(update_fields=["stage"])
