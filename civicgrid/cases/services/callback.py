"""The call-back (回访) after a case closes: staff of the receiving level (with the `cases.call_back` permission)
reach the caller by phone and record the answer, which then stands over the reporter's own rating (RATES.md).

- A task is opened when a case closes with a caller's phone on record and no rating by the reporter yet.
- The phone is decrypted only on the call-back screen (`reveal_phone`), and every reveal is audited.
- Up to `settings.CASES_CALLBACK_ATTEMPTS` attempts, each on a later working day than the one before; after the last
  unanswered attempt the caller counts as not reached.
- A dissatisfied answer is followed up: the case is reopened for rework (返工), or staff propose that it be marked
  "not solvable / explained" and the subdistrict (or district) office approves or refuses that."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.accounts.models import Role
from civicgrid.cases import events, hooks, policy, routing
from civicgrid.cases.errors import CallBackTooSoon, FollowUpNotPossible, NoCallBack
from civicgrid.cases.models import Case, CaseEvent, Satisfaction, State
from civicgrid.cases.models_loop import CallBack, CallBackState, FollowUp
from civicgrid.cases.selectors import get_case
from civicgrid.core import audit, workcalendar
from civicgrid.core.encrypted import unseal
from civicgrid.core.errors import PermissionDenied, ValidationFailed
from civicgrid.core.models import AuditEvent

PERMISSION = "cases.call_back"
APPROVER_ROLES = {Role.DISTRICT, Role.SUBDISTRICT}


def max_attempts() -> int:
    return settings.CASES_CALLBACK_ATTEMPTS


def may_call_back(actor, case: Case) -> bool:
    return policy.in_area(actor, case, policy.DISPATCH_ROLES) and actor.has_perm(PERMISSION)


def next_working_day(after: date) -> date:
    calendar = workcalendar.WorkCalendar(after, days=30)
    day = after + timedelta(days=1)
    while not calendar.is_workday(day):
        day += timedelta(days=1)
    return day


# --- opening and cancelling tasks (a state-change listener, inside the workflow's transaction) -----------------

def on_state_change(*, case, before, after, actor) -> None:
    if after == State.CLOSED and before != State.CLOSED and case.phone_cipher and case.rated_at is None:
        if not CallBack.objects.filter(case=case, state=CallBackState.PENDING).exists():
            CallBack.objects.create(case=case, created_at=timezone.now())
    elif before == State.CLOSED and after != State.CLOSED:
        CallBack.objects.filter(case=case, state=CallBackState.PENDING).update(state=CallBackState.CANCELLED,
                                                                              done_at=timezone.now())


# --- the call-back screen --------------------------------------------------------------------------------------

def _checked(actor, case_id: int) -> Case:
    case = get_case(actor=actor, case_id=case_id)  # out of sight first: 404
    if not may_call_back(actor, case):
        raise PermissionDenied()
    return case


def current(*, actor, case_id: int) -> tuple[Case, CallBack | None]:
    """The case and its latest call-back, for someone who may call back."""
    case = _checked(actor, case_id)
    return case, CallBack.objects.filter(case=case).exclude(state=CallBackState.CANCELLED).first()


def reveal_phone(*, actor, case_id: int) -> str:
    """The caller's full number for an open call-back. Audited, refusals too."""
    case = get_case(actor=actor, case_id=case_id)
    allowed = may_call_back(actor, case)
    task = CallBack.objects.filter(case=case, state=CallBackState.PENDING).first()
    with transaction.atomic():
        audit.record(actor=actor, action="cases.callback.reveal_phone", target=case, region_code=case.region_code,
                     outcome=AuditEvent.Outcome.SUCCESS if allowed and task else AuditEvent.Outcome.DENIED,
                     detail={"purpose": "call-back", "callback": task.pk if task else None})
    if not allowed:
        raise PermissionDenied()
    if task is None or not case.phone_cipher:
        raise NoCallBack()
    return unseal(case, "phone")


def _locked_task(actor, case_id: int) -> tuple[Case, CallBack]:
    _checked(actor, case_id)
    case = Case.objects.select_for_update().get(pk=case_id)
    task = CallBack.objects.select_for_update().filter(case=case, state=CallBackState.PENDING).first()
    if task is None:
        raise NoCallBack()
    return case, task


def _answer(resolved, satisfaction) -> tuple[bool, str]:
    if satisfaction not in Satisfaction.values or resolved is None:
        raise ValidationFailed(_("Record whether it was solved and how satisfied the caller is."),
                               code="invalid_callback_answer", field="satisfaction")
    return bool(resolved), satisfaction


@transaction.atomic
def record_attempt(*, actor, case_id: int, reached: bool, resolved: bool | None = None, satisfaction: str = "",
                   comment: str = "", today: date | None = None) -> CallBack:
    """One call: reached (with the caller's answer) or not; attempts on different working days."""
    case, task = _locked_task(actor, case_id)
    today = today or timezone.localdate()
    if task.next_attempt_on and today < task.next_attempt_on:
        raise CallBackTooSoon()
    if reached:
        answer = _answer(resolved, satisfaction)
    now = timezone.now()
    task.attempts += 1
    task.last_attempt_on, task.caller, task.comment = today, actor, (comment or "").strip()[:2000]
    if reached:
        task.state, task.done_at, task.next_attempt_on = CallBackState.REACHED, now, None
        task.resolved, task.satisfaction = answer
        case.callback_resolved, case.callback_satisfaction, case.callback_at = *answer, now
        case.save(update_fields=["callback_resolved", "callback_satisfaction", "callback_at", "updated_at"])
    elif task.attempts >= max_attempts():
        task.state, task.done_at, task.next_attempt_on = CallBackState.UNREACHED, now, None
    else:
        task.next_attempt_on = next_working_day(today)
    task.save()
    data = {"attempt": task.attempts, "reached": bool(reached), "satisfaction": task.satisfaction,
            "resolved": task.resolved}
    CaseEvent.objects.create(case=case, kind="callback", from_state=case.state, to_state=case.state, actor=actor,
                             actor_role=actor.role, at=now, note=task.comment, data=data)
    audit.record(actor=actor, action="cases.callback.attempt", target=case, region_code=case.region_code,
                 detail=data)
    if task.dissatisfied:
        case.save(update_fields=["updated_at"])
    return task


# --- after a dissatisfied answer -----------------------------------------------------------------------------

def _dissatisfied_task(actor, case_id: int) -> tuple[Case, CallBack]:
    _checked(actor, case_id)
    case = Case.objects.select_for_update().get(pk=case_id)
    task = CallBack.objects.select_for_update().filter(case=case, state=CallBackState.REACHED).first()
    if task is None or not task.dissatisfied:
        raise FollowUpNotPossible()
    return case, task


def _reason(note: str) -> str:
    text = (note or "").strip()
    if not text:
        raise ValidationFailed(_("Give a reason."), code="reason_required", field="note")
    return text[:500]


@transaction.atomic
def rework(*, actor, case_id: int, note: str) -> Case:
    """Reopen the case to the same unit for rework; it is called back again when it closes."""
    case, task = _dissatisfied_task(actor, case_id)
    if task.followup not in (FollowUp.NONE, FollowUp.EXPLAIN_REFUSED) or case.state != State.CLOSED:
        raise FollowUpNotPossible()
    if case.unit_id is None:
        raise FollowUpNotPossible()
    text, now, before = _reason(note), timezone.now(), case.state
    task.followup, task.followup_reason = FollowUp.REWORK, text
    task.save()
    case.state, case.rework_count = State.DISPATCHED, case.rework_count + 1
    case.closed_at, case.callback_at, case.callback_resolved, case.callback_satisfaction = None, None, None, ""
    case.dispatched_at, case.deadline, case.overdue = now, routing.deadline_for(case, now), False
    case.save()
    event = CaseEvent.objects.create(case=case, kind="callback_rework", from_state=before, to_state=case.state,
                                     actor=actor, actor_role=actor.role, at=now, note=text)
    audit.record(actor=actor, action="cases.callback.rework", target=case, region_code=case.region_code,
                 detail={"callback": task.pk})
    hooks.state_changed(case=case, before=before, after=case.state, actor=actor)
    events.dispatched(case, event, case.unit)
    return case


@transaction.atomic
def propose_explanation(*, actor, case_id: int, note: str) -> CallBack:
    """'Not solvable / explained to the caller', with the reason, for the subdistrict to approve."""
    case, task = _dissatisfied_task(actor, case_id)
    if task.followup not in (FollowUp.NONE, FollowUp.EXPLAIN_REFUSED):
        raise FollowUpNotPossible()
    task.followup, task.followup_reason, task.followup_decided_by = FollowUp.EXPLAIN_PENDING, _reason(note), None
    task.save()
    now = timezone.now()
    CaseEvent.objects.create(case=case, kind="explanation_asked", from_state=case.state, to_state=case.state,
                             actor=actor, actor_role=actor.role, at=now, note=task.followup_reason)
    audit.record(actor=actor, action="cases.callback.explain", target=case, region_code=case.region_code,
                 detail={"callback": task.pk})
    return task


def may_approve(actor, case: Case) -> bool:
    return policy.in_area(actor, case, APPROVER_ROLES)


@transaction.atomic
def decide_explanation(*, actor, case_id: int, approve: bool, note: str = "") -> CallBack:
    """The subdistrict (or district) office approves or refuses a proposed explanation."""
    case = get_case(actor=actor, case_id=case_id)
    if not may_approve(actor, case):
        raise PermissionDenied()
    case = Case.objects.select_for_update().get(pk=case_id)
    task = CallBack.objects.select_for_update().filter(case=case, followup=FollowUp.EXPLAIN_PENDING).first()
    if task is None:
        raise FollowUpNotPossible()
    text = (note or "").strip()[:500] if approve else _reason(note)
    now = timezone.now()
    task.followup = FollowUp.EXPLAINED if approve else FollowUp.EXPLAIN_REFUSED
    task.followup_decided_by = actor
    task.save()
    case.explained_at = now if approve else None
    case.save(update_fields=["explained_at", "updated_at"])
    CaseEvent.objects.create(case=case, kind="explanation_approved" if approve else "explanation_refused",
                             from_state=case.state, to_state=case.state, actor=actor, actor_role=actor.role, at=now,
                             note=text)
    audit.record(actor=actor, action=f"cases.callback.explain_{'approve' if approve else 'refuse'}", target=case,
                 region_code=case.region_code, detail={"callback": task.pk})
    return task


def queue(*, actor):
    """Call-backs to make or to follow up, in the actor's area (only for those who may call back)."""
    if not (actor.is_authenticated and (actor.is_superuser or actor.has_perm(PERMISSION))):
        return CallBack.objects.none()
    open_work = Q(state=CallBackState.PENDING) | Q(followup=FollowUp.EXPLAIN_PENDING) | \
        Q(state=CallBackState.REACHED, followup=FollowUp.NONE, satisfaction="unsatisfied") | \
        Q(state=CallBackState.REACHED, followup=FollowUp.NONE, resolved=False)
    return (CallBack.objects.visible_to(actor).filter(open_work).exclude(case__state__in=[State.VOID])
            .select_related("case", "case__unit").order_by("next_attempt_on", "created_at"))
