"""Extension (延期) and return (退单) requests: a handling unit asks, the dispatcher approves or refuses.

The case's deadline changes only when an extension is approved, so the on-time closure rate never uses a date the
unit merely asked for. An approved return takes the case back from the unit (state `registered`), for dispatching
again. Both are case events (`extension_asked`, `extension_approved`, …) and audited."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.cases import events, events_loop, hooks, policy
from civicgrid.cases.errors import IllegalTransition, InvalidExtension, NoPendingRequest, RequestPending
from civicgrid.cases.models import Case, CaseEvent, CaseRequest, State
from civicgrid.cases.models_loop import RequestKind, RequestState
from civicgrid.cases.selectors import get_case
from civicgrid.core import audit
from civicgrid.core.errors import PermissionDenied, ValidationFailed

ASKABLE_STATES = (State.DISPATCHED, State.HANDLING)
MAX_EXTENSION_DAYS = 60
DEADLINE_TIME = time(18, 0)  # an extension runs to the end of the office day of the date asked for


def _reason(text: str) -> str:
    reason = (text or "").strip()
    if not reason:
        raise ValidationFailed(_("Give a reason."), code="reason_required", field="reason")
    return reason[:500]


def _locked(actor, case_id: int) -> Case:
    get_case(actor=actor, case_id=case_id)  # out of sight first: 404
    return Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case_id)


def _event(case: Case, kind: str, actor, now, note: str, data: dict, before: str | None = None) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, from_state=before or case.state, to_state=case.state,
                                    actor=actor, actor_role=actor.role, at=now, note=note[:2000], data=data)


def _new_deadline(case: Case, new_date: date | None) -> datetime:
    if new_date is None:
        raise InvalidExtension(field="new_deadline")
    tz = timezone.get_current_timezone()
    wanted = datetime.combine(new_date, DEADLINE_TIME, tzinfo=tz)
    now = timezone.now()
    if wanted <= max(case.deadline or now, now) or wanted > now + timedelta(days=MAX_EXTENSION_DAYS):
        raise InvalidExtension(field="new_deadline")
    return wanted


def lapse(case: Case) -> int:
    """Pending requests of a unit the case is no longer with lapse undecided (a state-change listener, and before
    a new request): a later decision must never move a deadline or take back a case another unit now holds."""
    stale = CaseRequest.objects.filter(case=case, state=RequestState.PENDING)
    if case.state in ASKABLE_STATES and case.unit_id:
        stale = stale.exclude(unit_id=case.unit_id)
    return stale.update(state=RequestState.LAPSED, decided_at=timezone.now())


def on_state_change(*, case, before, after, actor) -> None:
    if before in ASKABLE_STATES:  # only a case in a unit's hands can have a pending request
        lapse(case)


@transaction.atomic
def ask(*, actor, case_id: int, kind: str, reason: str, new_deadline: date | None = None) -> CaseRequest:
    """A member of the case's unit asks for an extension (with a new date) or to return the case."""
    case = _locked(actor, case_id)
    if not policy.is_unit_member(actor, case):
        raise PermissionDenied()
    if kind not in RequestKind.values:
        raise ValidationFailed(code="invalid_kind", field="kind")
    if case.state not in ASKABLE_STATES:
        raise IllegalTransition(details=[{"state": case.state, "action": kind}])
    lapse(case)  # e.g. re-dispatched to this unit while another unit's request was still pending
    if CaseRequest.objects.filter(case=case, state=RequestState.PENDING).exists():
        raise RequestPending()
    text = _reason(reason)
    wanted = _new_deadline(case, new_deadline) if kind == RequestKind.EXTENSION else None
    now = timezone.now()
    request = CaseRequest.objects.create(case=case, kind=kind, unit=case.unit, requested_by=actor, reason=text,
                                         old_deadline=case.deadline, new_deadline=wanted, created_at=now)
    case.save(update_fields=["updated_at"])
    event = _event(case, f"{kind}_asked", actor, now, text,
                   {"request": request.pk, "new_deadline": wanted.isoformat() if wanted else None})
    audit.record(actor=actor, action=f"cases.{kind}.ask", target=case, region_code=case.region_code,
                 detail={"request": request.pk})
    events_loop.request_asked(request, event)
    return request


def _approve(case: Case, request: CaseRequest, now) -> str:
    if request.kind == RequestKind.EXTENSION:
        case.deadline = request.new_deadline
        if case.deadline and case.deadline > now:
            case.overdue, case.escalated_at = False, None
        return _("extension approved until %(day)s") % {
            "day": timezone.localtime(request.new_deadline).date().isoformat()}
    case.unit, case.deadline, case.dispatched_at = None, None, None
    case.state = State.REGISTERED
    return _("returned to the dispatcher")


@transaction.atomic
def decide(*, actor, case_id: int, approve: bool, note: str = "") -> CaseRequest:
    """The dispatcher of the case's area approves or refuses its pending request (a refusal needs a reason)."""
    case = _locked(actor, case_id)
    if not policy.in_area(actor, case, policy.DISPATCH_ROLES):
        raise PermissionDenied()
    request = (CaseRequest.objects.select_for_update()
               .filter(case=case, state=RequestState.PENDING, unit_id=case.unit_id).first())
    if request is None or case.state not in ASKABLE_STATES:
        raise NoPendingRequest()
    text = (note or "").strip()[:500] if approve else _reason(note)
    now, before = timezone.now(), case.state
    request.state = RequestState.APPROVED if approve else RequestState.REFUSED
    request.decided_by, request.decided_at, request.decision_note = actor, now, text
    request.save()
    update = _approve(case, request, now) if approve else ""
    case.save()
    kind = f"{request.kind}_{request.state}"
    event = _event(case, kind, actor, now, text, {"request": request.pk}, before=before)
    audit.record(actor=actor, action=f"cases.{request.kind}.{'approve' if approve else 'refuse'}", target=case,
                 region_code=case.region_code, detail={"request": request.pk, "from": before, "to": case.state})
    events_loop.request_decided(request, event)
    if case.state != before:
        hooks.state_changed(case=case, before=before, after=case.state, actor=actor)
    if update:
        events.case_changed(case, event, update)
    return request


def counts_by_unit(*, actor, start: date, end: date) -> list[dict]:
    """Requests asked in the period per unit: asked, approved and refused, for extensions and returns."""
    rows = (CaseRequest.objects.visible_to(actor)
            .filter(created_at__date__range=(start, end))
            .values("unit_id", "unit__name")
            .annotate(**{f"{kind}_{what}": Count("id", filter=Q(kind=kind, **({} if what == "asked" else
                                                                             {"state": what})))
                         for kind in RequestKind.values for what in ("asked", "approved", "refused")})
            .order_by("unit__name"))
    return list(rows)
