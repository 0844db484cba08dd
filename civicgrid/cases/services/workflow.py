"""Moving a case through its states. Each action locks the case row, checks the actor's right and the
state, writes one immutable CaseEvent and one audit event, and notifies the followers, in one transaction."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.cases import events, hooks, policy, routing, transitions
from civicgrid.cases import photos as photo_files
from civicgrid.cases.errors import (
    AlreadyRated,
    IllegalTransition,
    NotADuplicate,
    NoUnitFound,
    ReasonRequired,
    ReopenWindowClosed,
)
from civicgrid.cases.models import (
    FINAL_STATES,
    Case,
    CaseEvent,
    CasePhoto,
    Category,
    Follower,
    HandlingUnit,
    Satisfaction,
    State,
)
from civicgrid.cases.selectors import get_case
from civicgrid.core import audit
from civicgrid.core.encrypted import seal, unseal
from civicgrid.core.errors import ValidationFailed

REOPEN_DAYS = 7


def _need(note: str) -> str:
    text = (note or "").strip()
    if not text:
        raise ReasonRequired(field="note")
    return text[:2000]


def _set_category(case: Case, category_id: int | None) -> None:
    if category_id is None:
        return
    category = Category.objects.select_related("parent").filter(pk=category_id, active=True).first()
    if category is None:
        raise ValidationFailed(_("Unknown category."), code="unknown_category", field="category_id")
    case.category, case.category_top = category, category.top


def _assign_unit(case: Case, unit_id: int | None, now) -> HandlingUnit:
    if unit_id:
        unit = HandlingUnit.objects.filter(pk=unit_id).first()
    else:
        unit = routing.route(case.category, case.region_code, case.asset)
    if unit is None:
        raise NoUnitFound(field="unit_id")
    case.unit = unit
    case.dispatched_at = now
    case.first_dispatched_at = case.first_dispatched_at or now
    case.deadline = routing.deadline_for(case, now)
    case.response_due = case.response_due or routing.response_due_for(case, now)
    case.overdue, case.escalated_at = False, None
    return unit


def _register(actor, case, note, now, category_id=None, **_params):
    _set_category(case, category_id)
    case.registered_at = now
    case.first_receiver = case.first_receiver or actor
    return _("registered")


def _reject(actor, case, note, now, **_params):
    _need(note)
    case.closed_at = now
    return _("rejected: %(reason)s") % {"reason": note}


def _dispatch(actor, case, note, now, unit_id=None, category_id=None, **_params):
    _set_category(case, category_id)
    if case.category is None:
        raise ValidationFailed(_("Choose a category before dispatching."), code="category_required",
                               field="category_id")
    unit = _assign_unit(case, unit_id, now)
    return _("dispatched to %(unit)s") % {"unit": unit.name}


def _redispatch(actor, case, note, now, unit_id=None, category_id=None, **_params):
    _need(note)
    if unit_id and unit_id == case.unit_id:
        raise ValidationFailed(_("Choose a different unit."), code="same_unit", field="unit_id")
    return _dispatch(actor, case, note, now, unit_id=unit_id, category_id=category_id)


def _return(actor, case, note, now, **_params):
    _need(note)
    case.unit, case.deadline, case.dispatched_at = None, None, None
    return _("returned to the dispatcher")


def _accept(actor, case, note, now, **_params):
    case.responded_at = case.responded_at or now
    return _("being handled by %(unit)s") % {"unit": case.unit.name}


def _reply(actor, case, note, now, **_params):
    _need(note)
    case.replied_at = now
    return _("the unit replied: %(note)s") % {"note": note}


def _verify(actor, case, note, now, **_params):
    return _("verified on site")


def _rework(actor, case, note, now, **_params):
    _need(note)
    case.rework_count += 1
    return _("sent back for rework")


def _close(actor, case, note, now, **_params):
    case.closed_at = now
    return _("closed")


def _rate(actor, case, note, now, satisfaction=None, resolved=None, **_params):
    if case.rated_at:
        raise AlreadyRated()
    if satisfaction not in Satisfaction.values or resolved is None:
        raise ValidationFailed(_("Choose whether it was solved and how satisfied you are."), code="invalid_rating",
                               field="satisfaction")
    case.satisfaction, case.resolved, case.rated_at = satisfaction, bool(resolved), now
    case.closed_at = case.closed_at or now
    return _("rated: %(label)s") % {"label": Satisfaction(satisfaction).label}


def _reopen(actor, case, note, now, **_params):
    if case.closed_at is None or now - case.closed_at > timedelta(days=REOPEN_DAYS):
        raise ReopenWindowClosed()
    _need(note)
    case.reopen_count += 1
    case.closed_at, case.rated_at, case.satisfaction, case.resolved = None, None, "", None
    case.dispatched_at, case.deadline, case.overdue = now, routing.deadline_for(case, now), False
    return _("reopened by the reporter")


def _park(actor, case, note, now, review_on: date | None = None, **_params):
    case.park_reason = _need(note)[:500]
    if review_on is None or review_on <= timezone.localdate():
        raise ValidationFailed(_("Give a review date in the future."), code="review_date_required", field="review_on")
    case.park_review_on = review_on
    case.unit, case.deadline = None, None
    return _("parked until %(day)s") % {"day": review_on.isoformat()}


def _resume(actor, case, note, now, **_params):
    case.park_reason, case.park_review_on = "", None
    return _("resumed")


def _void(actor, case, note, now, **_params):
    _need(note)
    case.closed_at, case.unit, case.deadline = now, None, None
    return _("voided: %(reason)s") % {"reason": note}


def _merge(actor, case, note, now, into_id=None, **_params):
    target = Case.objects.select_for_update().filter(pk=into_id).first() if into_id else None
    if (target is None or target.pk == case.pk or target.state in FINAL_STATES
            or not policy.in_area(actor, target, policy.DISPATCH_ROLES)):
        raise NotADuplicate(field="into_id")
    known = set(Follower.objects.filter(case=target, user__isnull=False).values_list("user_id", flat=True))
    if case.phone_cipher:
        _follow_by_phone(target, user_id=None, phone=unseal(case, "phone"), masked=case.phone_masked)
    for follower in Follower.objects.filter(case=case):
        if follower.user_id is None or follower.user_id not in known:
            _follow_by_phone(target, user_id=follower.user_id, phone=unseal(follower, "phone"),
                             masked=follower.phone_masked, joined=follower.joined)
    case.merged_into, case.closed_at, case.unit = target, now, None
    CaseEvent.objects.create(case=target, kind="merged_in", actor=actor, actor_role=actor.role, at=now,
                             from_state=target.state, to_state=target.state, data={"from": case.pk})
    return _("merged into %(number)s") % {"number": target.number}


def _follow_by_phone(case: Case, *, user_id, phone: str, masked: str, joined: bool = False) -> None:
    """A follower's phone is sealed again for its new row: ciphertexts are bound to the row they are in."""
    follower = Follower(case=case, user_id=user_id, phone_masked=masked, joined=joined)
    seal(follower, "phone", phone)
    follower.save()


def _urgent(actor, case, note, now, urgent=True, **_params):
    case.urgent = bool(urgent)
    if case.dispatched_at and case.state in (State.DISPATCHED, State.HANDLING):
        case.deadline = routing.deadline_for(case, case.dispatched_at)
    return _("marked urgent") if case.urgent else _("no longer urgent")


def _comment(actor, case, note, now, **_params):
    _need(note)
    return ""


HANDLERS = {"register": _register, "reject": _reject, "dispatch": _dispatch, "redispatch": _redispatch,
            "return": _return, "accept": _accept, "reply": _reply, "verify": _verify, "rework": _rework,
            "close": _close, "rate": _rate, "reopen": _reopen, "park": _park, "resume": _resume, "void": _void,
            "merge": _merge, "urgent": _urgent, "comment": _comment}


PHOTO_ACTIONS = ("reply", "verify", "rework")  # a unit shows what it did, a grid worker what he found
MAX_PHOTOS = 3


@transaction.atomic
def perform(*, actor, case_id: int, action: str, note: str = "", photos=(), **params) -> Case:
    """Run one workflow action; refusals: 404 out of scope, 403 wrong role, 409 wrong state, 422 bad fields.

    `photos` (uploads, at most three) go with a reply, a verification or a rework, stored like report photos."""
    get_case(actor=actor, case_id=case_id)  # out of sight first: 404 whatever the action
    if action not in HANDLERS:
        raise ValidationFailed(code="unknown_action", field="action")
    case = Case.objects.select_for_update().get(pk=case_id)
    policy.ensure_may(actor, action, case)
    before = case.state
    if not transitions.allowed(action, before):
        raise IllegalTransition(details=[{"state": before, "action": action}])
    if photos and action not in PHOTO_ACTIONS:
        raise ValidationFailed(_("Photos go with a reply or an on-site check."), code="photos_not_allowed",
                               field="photo")
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed(_("At most %(max)d photos.") % {"max": MAX_PHOTOS}, code="too_many_photos",
                               field="photo")
    now = timezone.now()
    text = HANDLERS[action](actor, case, note, now, **params)
    case.state = transitions.target(action, before)
    case.save()
    event = CaseEvent.objects.create(case=case, kind=action, from_state=before, to_state=case.state, actor=actor,
                                     actor_role=actor.role, at=now, note=(note or "")[:2000],
                                     data={k: str(v) for k, v in params.items() if v is not None})
    for upload in photos:
        CasePhoto.objects.create(case=case, event=event, uploaded_by=actor, **photo_files.prepare(upload))
    audit.record(actor=actor, action=f"cases.{action}", target=case, region_code=case.region_code,
                 detail={"from": before, "to": case.state, **({"photos": len(photos)} if photos else {})})
    if action in ("dispatch", "redispatch") and case.unit is not None:
        events.dispatched(case, event, case.unit)
    if case.state != before:
        hooks.state_changed(case=case, before=before, after=case.state, actor=actor)
    if text:
        events.case_changed(case, event, text)
    return case


def _named(action: str):
    def run(*, actor, case_id: int, note: str = "", **params) -> Case:
        return perform(actor=actor, case_id=case_id, action=action, note=note, **params)

    run.__name__ = action
    run.__doc__ = f"Workflow action `{action}` (see perform)."
    return run


register, reject, dispatch, redispatch = _named("register"), _named("reject"), _named("dispatch"), _named("redispatch")
return_to_dispatcher, accept, reply, verify = _named("return"), _named("accept"), _named("reply"), _named("verify")
rework, close, rate, reopen = _named("rework"), _named("close"), _named("rate"), _named("reopen")
park, resume, void, merge = _named("park"), _named("resume"), _named("void"), _named("merge")
set_urgent, comment = _named("urgent"), _named("comment")


def sweep_deadlines(*, now=None) -> int:
    """Flag cases past their deadline and escalate each once to its unit's supervisor. Idempotent."""
    now = now or timezone.now()
    due = Case.objects.filter(state__in=[State.DISPATCHED, State.HANDLING], overdue=False, deadline__lt=now)
    flagged = 0
    for case_id in due.values_list("pk", flat=True)[:1000]:
        with transaction.atomic():
            case = (Case.objects.select_for_update(skip_locked=True, of=("self",)).select_related("unit__supervisor")
                    .filter(pk=case_id, overdue=False).first())
            if case is None:
                continue
            case.overdue, case.escalated_at = True, now
            case.save(update_fields=["overdue", "escalated_at", "updated_at"])
            event = CaseEvent.objects.create(
                case=case, kind="escalate", from_state=case.state, to_state=case.state, at=now,
                data={"deadline": case.deadline.isoformat() if case.deadline else None})
            events.overdue(case, event)
            audit.record(actor=None, action="cases.escalate", target=case, region_code=case.region_code)
            flagged += 1
    return flagged

