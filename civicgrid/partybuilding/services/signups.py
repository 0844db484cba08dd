"""White-collar staff sign themselves up for a building workstation's event (and cancel) when the workstation
opened it for self sign-up: seats counted under the event's row lock, one sign-up per person and event."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.core import audit
from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.partybuilding.errors import AlreadySignedUp, EventFull
from civicgrid.partybuilding.models import Enterprise, EventSignup, StationEvent
from civicgrid.partybuilding.services.common import text


def tenants_of(event: StationEvent):
    """Whom an open event is for: the tenants of its building (names only, shown with the event)."""
    return Enterprise.objects.filter(building_id=event.workstation.building_id).order_by("name")


def _open_event(actor, event_id: int) -> StationEvent:
    """The event, locked, if the actor sees it and it is open for self sign-up and not begun."""
    found = StationEvent.objects.get_visible(actor, pk=event_id)
    if not found.self_signup:
        raise NotFound()
    event = StationEvent.objects.select_for_update(of=("self",)).select_related("workstation").get(pk=found.pk)
    if event.starts_at <= timezone.now():
        raise ValidationFailed(_("The event has already begun."), code="event_started", field="event_id")
    return event


@transaction.atomic
def sign_up_self(*, actor, event_id: int, name: str, enterprise_id: int | None) -> EventSignup:
    event = _open_event(actor, event_id)
    enterprise = tenants_of(event).filter(pk=enterprise_id).first() if enterprise_id else None
    if enterprise is None:
        raise ValidationFailed(_("Choose the company you work for in this building."), code="not_a_tenant",
                               field="enterprise_id")
    person = text(name, field="name", high=50)
    if event.signups.filter(user=actor).exists():
        raise AlreadySignedUp()
    if event.signups.count() >= event.capacity:
        raise EventFull()
    try:
        with transaction.atomic():
            made = EventSignup.objects.create(event=event, name=person, enterprise=enterprise, user=actor,
                                              created_by=actor)
    except IntegrityError:
        raise AlreadySignedUp() from None
    audit.record(actor=actor, action="partybuilding.event.self_signup", target=event, region_code=event.region_code,
                 detail={"enterprise": enterprise.pk, "signup": made.pk})
    return made


@transaction.atomic
def cancel_own_signup(*, actor, signup_id: int) -> StationEvent:
    """Only the person who signed up cancels, before the event begins; the seat is free again."""
    signup = EventSignup.objects.filter(pk=signup_id, user=actor).first() if actor.is_authenticated else None
    if signup is None:
        raise NotFound()
    event = _open_event(actor, signup.event_id)
    audit.record(actor=actor, action="partybuilding.event.self_cancel", target=event, region_code=event.region_code,
                 detail={"signup": signup.pk})
    signup.delete()
    return event
