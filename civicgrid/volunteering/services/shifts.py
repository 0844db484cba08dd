"""Sign-up with capacity and waitlist, cancellation, QR check-in/out, organizer confirmation, no-shows."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.core import audit
from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.volunteering import events
from civicgrid.volunteering.errors import InvalidState
from civicgrid.volunteering.models import ServiceRecord, Shift, Signup
from civicgrid.volunteering.selectors import ensure_organizes, volunteer_of
from civicgrid.volunteering.services.records import confirm_locked, ensure_confirmable, new_record

ACTIVE = (Signup.Status.CONFIRMED, Signup.Status.CHECKED_IN, Signup.Status.DONE)
CHECKIN_EARLY = timedelta(minutes=30)
CHECKOUT_LATE = timedelta(hours=2)


def _locked_shift(shift_id: int) -> Shift:
    shift = Shift.objects.select_for_update(of=("self",)).select_related("activity__team").filter(pk=shift_id).first()
    if shift is None or not shift.activity.published:
        raise NotFound()
    return shift


def sign_up(*, actor, shift_id: int) -> Signup:
    """A place if the shift has room, else the waitlist. Signing up again returns the same sign-up."""
    volunteer = volunteer_of(actor)
    with transaction.atomic():
        shift = _locked_shift(shift_id)  # the lock serializes the capacity count
        if shift.ends_at <= timezone.now():
            raise InvalidState(_("This shift is over."))
        if shift.cancelled_at is not None:
            raise InvalidState(_("This shift was cancelled."), code="shift_cancelled")
        signup = Signup.objects.filter(shift=shift, volunteer=volunteer).first()
        if signup is not None and signup.status != Signup.Status.CANCELLED:
            return signup
        taken = Signup.objects.filter(shift=shift, status__in=ACTIVE).count()
        status = Signup.Status.CONFIRMED if taken < shift.capacity else Signup.Status.WAITLISTED
        if signup is None:
            signup = Signup.objects.create(shift=shift, volunteer=volunteer, status=status)
        else:
            signup.status, signup.created_at = status, timezone.now()
            signup.save(update_fields=["status", "created_at"])
        audit.record(actor=actor, action="volunteering.shift.sign_up", target=signup,
                     region_code=shift.activity.region_code, detail={"status": status})
        confirmed = status == Signup.Status.CONFIRMED
        events.signup_changed(signup, events.SIGNUP_CONFIRMED if confirmed else events.WAITLISTED,
                              occasion=f"{status}:{signup.created_at.timestamp():.0f}")
    return signup


def cancel_signup(*, actor, signup_id: int) -> Signup:
    volunteer = volunteer_of(actor)
    with transaction.atomic():
        signup = Signup.objects.filter(pk=signup_id, volunteer=volunteer).first()
        if signup is None:
            raise NotFound()
        shift = _locked_shift(signup.shift_id)
        signup.refresh_from_db()
        if signup.status == Signup.Status.CANCELLED:
            return signup
        if signup.status not in (Signup.Status.CONFIRMED, Signup.Status.WAITLISTED):
            raise InvalidState()
        had_place = signup.status == Signup.Status.CONFIRMED
        signup.status = Signup.Status.CANCELLED
        signup.save(update_fields=["status"])
        promoted = _promote(shift) if had_place else None
        audit.record(actor=actor, action="volunteering.shift.cancel", target=signup,
                     region_code=shift.activity.region_code, detail={"promoted": promoted})
    return signup


def cancel_shift(*, actor, shift_id: int, reason: str) -> Shift:
    """The organizer calls a shift off before it starts: every sign-up is cancelled and each signed-up
    volunteer is told, with the reason. Cancelling again returns the cancelled shift."""
    reason = " ".join(str(reason).split())[:200]
    with transaction.atomic():
        shift = _locked_shift(shift_id)
        ensure_organizes(actor, shift.activity.team)
        if shift.cancelled_at is not None:
            return shift
        if not reason:
            raise ValidationFailed(_("Give a reason."), code="required", field="reason")
        if shift.starts_at <= timezone.now():
            raise InvalidState(_("This shift has already started."), code="shift_started")
        signups = list(Signup.objects.filter(shift=shift, status__in=(Signup.Status.CONFIRMED,
                                                                       Signup.Status.WAITLISTED)))
        Signup.objects.filter(pk__in=[s.pk for s in signups]).update(status=Signup.Status.CANCELLED)
        shift.cancelled_at, shift.cancel_reason = timezone.now(), reason
        shift.save(update_fields=["cancelled_at", "cancel_reason"])
        audit.record(actor=actor, action="volunteering.shift.cancel_shift", target=shift,
                     region_code=shift.activity.region_code, detail={"signups": len(signups), "reason": reason})
        events.shift_cancelled(shift, [s.volunteer_id for s in signups])
    return shift


def _promote(shift: Shift) -> int | None:
    first = Signup.objects.filter(shift=shift, status=Signup.Status.WAITLISTED).order_by("created_at", "id").first()
    if first is None:
        return None
    first.status = Signup.Status.CONFIRMED
    first.save(update_fields=["status"])
    events.signup_changed(first, events.PROMOTED, occasion=f"promoted:{first.created_at.timestamp():.0f}")
    return first.pk


def scan(*, actor, token: str, now=None) -> Signup:
    """The volunteer scans the organizer's QR code: the first scan checks in, the second checks out and
    creates the service record awaiting the organizer's confirmation."""
    volunteer, now = volunteer_of(actor), now or timezone.now()
    with transaction.atomic():
        shift = Shift.objects.select_related("activity__team").filter(checkin_token=token).first()
        signup = Signup.objects.select_for_update().filter(shift=shift, volunteer=volunteer).first() if shift else None
        if shift is None or signup is None:
            raise NotFound(_("You have no place on this shift."), code="not_signed_up")
        if not shift.starts_at - CHECKIN_EARLY <= now <= shift.ends_at + CHECKOUT_LATE:
            raise InvalidState(_("Check-in is open from 30 minutes before the shift until 2 hours after."),
                               code="outside_checkin_window")
        if signup.status == Signup.Status.CONFIRMED:
            signup.status, signup.checked_in_at = Signup.Status.CHECKED_IN, now
            signup.save(update_fields=["status", "checked_in_at"])
            action = "volunteering.shift.check_in"
        elif signup.status == Signup.Status.CHECKED_IN:
            _check_out(signup, shift, now, actor)
            action = "volunteering.shift.check_out"
        elif signup.status == Signup.Status.DONE:
            return signup
        else:
            raise InvalidState(_("Your sign-up is not confirmed."), code="not_confirmed")
        audit.record(actor=actor, action=action, target=signup, region_code=shift.activity.region_code)
    return signup


def _check_out(signup: Signup, shift: Shift, at, actor) -> ServiceRecord:
    start = max(signup.checked_in_at or shift.starts_at, shift.starts_at)
    end = min(at, shift.ends_at)
    signup.status, signup.checked_out_at = Signup.Status.DONE, at
    signup.save(update_fields=["status", "checked_out_at"])
    return new_record(actor=actor, signup=signup, started_at=start, ended_at=max(start, end))


def confirm_attendance(*, actor, signup_id: int) -> ServiceRecord:
    """The organizer confirms that the volunteer served the whole shift: the record is confirmed at once."""
    with transaction.atomic():
        signup = Signup.objects.select_for_update(of=("self",)).select_related("shift__activity__team").filter(
            pk=signup_id).first()
        if signup is None:
            raise NotFound()
        shift = signup.shift
        ensure_organizes(actor, shift.activity.team)
        if signup.status == Signup.Status.DONE and hasattr(signup, "record"):
            return signup.record
        if signup.status not in (Signup.Status.CONFIRMED, Signup.Status.CHECKED_IN, Signup.Status.NO_SHOW):
            raise InvalidState()
        ensure_confirmable(volunteer=signup.volunteer, ended_at=shift.ends_at)
        signup.status, signup.checked_out_at = Signup.Status.DONE, signup.checked_out_at or timezone.now()
        signup.save(update_fields=["status", "checked_out_at"])
        record = new_record(actor=actor, signup=signup, started_at=shift.starts_at, ended_at=shift.ends_at)
        confirm_locked(actor=actor, record=record)
        audit.record(actor=actor, action="volunteering.shift.confirm_attendance", target=signup,
                     region_code=shift.activity.region_code)
    return record


def close_shift(*, shift_id: int, now=None) -> dict:
    """After a shift: confirmed sign-ups that never checked in are no-shows; those checked in but not out
    are checked out at the shift's end. Idempotent (runs from a periodic task)."""
    now = now or timezone.now()
    with transaction.atomic():
        shift = Shift.objects.select_for_update(of=("self",)).select_related("activity__team").get(pk=shift_id)
        if shift.no_shows_marked or shift.ends_at + CHECKOUT_LATE > now:
            return {"no_shows": 0, "checked_out": 0}
        no_shows = Signup.objects.filter(shift=shift, status=Signup.Status.CONFIRMED)
        count = no_shows.update(status=Signup.Status.NO_SHOW)
        open_ones = list(Signup.objects.select_for_update().filter(shift=shift, status=Signup.Status.CHECKED_IN))
        for signup in open_ones:
            _check_out(signup, shift, shift.ends_at, None)
        shift.no_shows_marked = True
        shift.save(update_fields=["no_shows_marked"])
        audit.record(actor=None, action="volunteering.shift.close", target=shift,
                     region_code=shift.activity.region_code, detail={"no_shows": count, "checked_out": len(open_ones)})
    return {"no_shows": count, "checked_out": len(open_ones)}


def remind_tomorrow(*, now=None) -> int:
    """Tell everyone with a confirmed place on a shift that starts tomorrow (local time). Idempotent: one
    reminder per sign-up and shift start."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    signups = Signup.objects.filter(status=Signup.Status.CONFIRMED, shift__starts_at__date=tomorrow).select_related(
        "shift__activity", "volunteer")
    count = 0
    with transaction.atomic():
        for signup in signups:
            occasion = f"tomorrow:{signup.shift.starts_at:%Y%m%d%H%M}"
            events.signup_changed(signup, events.SHIFT_TOMORROW, occasion=occasion)
            count += 1
        if count:
            audit.record(actor=None, action="volunteering.shift.remind_tomorrow", detail={"signups": count})
    return count
