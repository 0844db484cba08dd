"""The contract and its execution: milestones, deliverable reports with evidence files, beneficiaries' feedback
from a phone link and change requests approved by the buyer."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.core import audit
from civicgrid.core.errors import NotFound, PermissionDenied, ValidationFailed
from civicgrid.core.scoping import ensure_manages
from civicgrid.core.uploads import check_upload_size
from civicgrid.procurement import orgs
from civicgrid.procurement.errors import ContractTooLong, WrongStage
from civicgrid.procurement.models import (
    ChangeRequest,
    Contract,
    Evidence,
    Feedback,
    Instalment,
    Milestone,
    Purchase,
    Report,
    Stage,
)
from civicgrid.procurement.services.common import a_date, expect_stage, managed_purchase, money, text_between

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".xlsx", ".docx")


def latest_end(starts_on: date, *, recurring: bool) -> date:
    """The last day a contract may run: one year, or three for a recurring service (财政部令第102号 第二十四条)."""
    years = 3 if recurring else 1
    try:
        return starts_on.replace(year=starts_on.year + years) - timedelta(days=1)
    except ValueError:  # 29 February
        return starts_on.replace(year=starts_on.year + years, day=28) - timedelta(days=1)


def check_period(starts_on: date, ends_on: date, *, recurring: bool) -> None:
    if ends_on < starts_on:
        raise ValidationFailed(_("The contract ends before it starts."), code="invalid_period", field="ends_on")
    if ends_on > latest_end(starts_on, recurring=recurring):
        raise ContractTooLong(field="ends_on")


def _instalments(rows, amount: Decimal) -> list[tuple[Decimal, date]]:
    plan = [(money(value, field="instalments"), a_date(due, field="instalments")) for value, due in rows or []]
    if not plan or sum(value for value, _due in plan) != amount:
        raise ValidationFailed(_("The instalments must add up to the contract amount (%(amount)s yuan).")
                               % {"amount": amount}, code="invalid_instalments", field="instalments")
    return plan


@transaction.atomic
def sign_contract(*, actor, purchase_id: int, starts_on: date, ends_on: date, deliverables: str, kpis,
                  instalments, milestones=(), beneficiaries_target: int = 0) -> Contract:
    purchase = managed_purchase(actor, purchase_id, lock=True)
    expect_stage(purchase, Stage.AWARDED)
    check_period(a_date(starts_on, field="starts_on"), a_date(ends_on, field="ends_on"), recurring=purchase.recurring)
    kpis = [{"name": str(k.get("name", "")).strip()[:100], "target": str(k.get("target", "")).strip()[:100]}
            for k in kpis or [] if str(k.get("name", "")).strip()]
    if not kpis:
        raise ValidationFailed(_("Give at least one KPI."), code="invalid_kpis", field="kpis")
    amount = purchase.award_amount
    assert amount is not None and purchase.awarded_bid is not None
    plan = _instalments(instalments, amount)
    contract = Contract(purchase=purchase, organization=purchase.awarded_bid.organization, amount=amount,
                        starts_on=starts_on, ends_on=ends_on,
                        deliverables=text_between(deliverables, field="deliverables"),
                        kpis=kpis, beneficiaries_target=max(0, int(beneficiaries_target)))
    contract.full_clean(exclude=["purchase", "organization"])
    contract.save()
    Instalment.objects.bulk_create([Instalment(contract=contract, seq=n, amount=value, due_on=due, final=n == len(plan))
                                    for n, (value, due) in enumerate(plan, start=1)])
    for title, due in milestones or []:
        Milestone.objects.create(contract=contract, title=text_between(title, field="milestones", high=200),
                                 due_on=a_date(due, field="milestones"))
    purchase.stage = Stage.CONTRACTED
    purchase.save(update_fields=["stage"])
    audit.record(actor=actor, action="procurement.contract.sign", target=contract, region_code=purchase.region_code,
                 detail={"amount": str(amount), "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()})
    return contract


def _contract_for(actor, contract_id: int, *, lock: bool = False) -> tuple[Contract, bool]:
    """The contract and whether the actor acts as the buyer (True) or as the provider (False)."""
    queryset = Contract.objects.select_related("purchase", "organization").filter(pk=contract_id)
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    contract = queryset.first()
    if contract is None:
        raise NotFound()
    if orgs.is_member(actor, contract.organization):
        return contract, False
    if Purchase.objects.visible_to(actor).filter(pk=contract.purchase_id).exists():
        ensure_manages(actor, contract.purchase.region_code)
        return contract, True
    raise NotFound()


def provider_contract(actor, contract_id: int) -> Contract:
    contract, buyer = _contract_for(actor, contract_id)
    if buyer:
        raise PermissionDenied(_("Only the contracted organization reports on its contract."))
    return contract


def buyer_contract(actor, contract_id: int, *, lock: bool = False) -> Contract:
    contract, buyer = _contract_for(actor, contract_id, lock=lock)
    if not buyer:
        raise PermissionDenied()
    return contract


def _in_execution(contract: Contract) -> None:
    if contract.purchase.stage != Stage.CONTRACTED:
        raise WrongStage()


@transaction.atomic
def complete_milestone(*, actor, milestone_id: int) -> Milestone:
    milestone = Milestone.objects.filter(pk=milestone_id).first()
    if milestone is None:
        raise NotFound()
    contract, _buyer = _contract_for(actor, milestone.contract_id)
    _in_execution(contract)
    if milestone.done_at is None:
        milestone.done_at = timezone.now()
        milestone.save(update_fields=["done_at"])
        audit.record(actor=actor, action="procurement.milestone.done", target=milestone,
                     region_code=contract.purchase.region_code)
    return milestone


def _evidence(files) -> list:
    kept = []
    for upload in files or []:
        check_upload_size(upload.size, limit=MAX_EVIDENCE_BYTES)
        if not upload.name.lower().endswith(EVIDENCE_TYPES):
            raise ValidationFailed(_("Evidence files are PDF, images, spreadsheets or documents."),
                                   code="invalid_file_type", field="files")
        kept.append(upload)
    return kept


@transaction.atomic
def submit_report(*, actor, contract_id: int, text: str, beneficiaries: int, service_hours, milestone_id=None,
                  files=()) -> Report:
    contract = provider_contract(actor, contract_id)
    _in_execution(contract)
    milestone = None
    if milestone_id:
        milestone = contract.milestones.filter(pk=milestone_id).first()
        if milestone is None:
            raise ValidationFailed(code="invalid_milestone", field="milestone")
    try:
        hours = Decimal(str(service_hours or 0)).quantize(Decimal("0.1"))
    except ArithmeticError:
        raise ValidationFailed(code="invalid_hours", field="service_hours") from None
    if not hours.is_finite() or hours < 0 or hours > 100000 or int(beneficiaries) < 0:
        raise ValidationFailed(code="invalid_hours", field="service_hours")
    uploads = _evidence(files)
    report = Report.objects.create(contract=contract, milestone=milestone, text=text_between(text, field="text"),
                                   beneficiaries=int(beneficiaries), service_hours=hours, submitted_by=actor)
    for upload in uploads:
        Evidence.objects.create(report=report, file=upload, name=upload.name[:200], size=upload.size)
    audit.record(actor=actor, action="procurement.report.submit", target=report,
                 region_code=contract.purchase.region_code,
                 detail={"beneficiaries": report.beneficiaries, "hours": str(hours), "files": len(uploads)})
    return report


@transaction.atomic
def give_feedback(*, token: str, satisfaction: int, comment: str = "") -> Feedback:
    """A beneficiary's anonymous answer from the survey's phone link (no account, no name)."""
    contract = Contract.objects.select_related("purchase").filter(survey_token=token or "-").first()
    if contract is None or contract.purchase.stage not in (Stage.CONTRACTED, Stage.EVALUATED):
        raise NotFound()
    if str(satisfaction) not in {"1", "2", "3", "4", "5"}:
        raise ValidationFailed(_("Choose from 1 to 5."), code="invalid_satisfaction", field="satisfaction")
    feedback = Feedback.objects.create(contract=contract, satisfaction=int(satisfaction),
                                       comment=(comment or "").strip()[:300])
    audit.record(actor=None, action="procurement.feedback", target=feedback, region_code=contract.purchase.region_code,
                 detail={"satisfaction": feedback.satisfaction})
    return feedback


@transaction.atomic
def request_change(*, actor, contract_id: int, reason: str, new_ends_on: date | None = None,
                   new_deliverables: str = "") -> ChangeRequest:
    contract = provider_contract(actor, contract_id)
    _in_execution(contract)
    if new_ends_on is None and not (new_deliverables or "").strip():
        raise ValidationFailed(_("Ask for a new end date or new deliverables."), code="empty_change")
    if new_ends_on is not None:
        check_period(contract.starts_on, new_ends_on, recurring=contract.purchase.recurring)
    change = ChangeRequest.objects.create(contract=contract, reason=text_between(reason, field="reason"),
                                          new_ends_on=new_ends_on, new_deliverables=(new_deliverables or "").strip(),
                                          requested_by=actor)
    audit.record(actor=actor, action="procurement.change.request", target=change,
                 region_code=contract.purchase.region_code)
    return change


@transaction.atomic
def decide_change(*, actor, change_id: int, approve: bool, note: str = "") -> ChangeRequest:
    change = ChangeRequest.objects.filter(pk=change_id).first()
    if change is None:
        raise NotFound()
    contract = buyer_contract(actor, change.contract_id, lock=True)
    if change.state != ChangeRequest.State.PENDING:
        raise WrongStage()
    change.state = ChangeRequest.State.APPROVED if approve else ChangeRequest.State.REJECTED
    change.decision_note, change.decided_at = (note or "").strip()[:300], timezone.now()
    change.save()
    if approve:
        if change.new_ends_on:
            check_period(contract.starts_on, change.new_ends_on, recurring=contract.purchase.recurring)
            contract.ends_on = change.new_ends_on
        if change.new_deliverables:
            contract.deliverables = change.new_deliverables
        contract.save(update_fields=["ends_on", "deliverables"])
    audit.record(actor=actor, action="procurement.change.decide", target=change,
                 region_code=contract.purchase.region_code, detail={"approved": bool(approve)})
    return change
