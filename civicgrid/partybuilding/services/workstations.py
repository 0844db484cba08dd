"""Building workstations: stations combined ("五站合一"), staff, bookable rooms with double bookings refused, events
with sign-up, and companies' requests that become grid cases routed to the right unit."""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.cases import services as cases
from civicgrid.cases.models import Category, Channel
from civicgrid.core import audit
from civicgrid.core.errors import ValidationFailed
from civicgrid.partybuilding.errors import AlreadySignedUp, EventFull, RoomTaken
from civicgrid.partybuilding.models import (
    Booking,
    BuildingProfile,
    CompanyRequest,
    Enterprise,
    EventSignup,
    Room,
    StationEvent,
    StationKind,
    StationStaff,
    Workstation,
)
from civicgrid.partybuilding.services.common import count, text

MAX_BOOKING_HOURS = 12


@transaction.atomic
def open_workstation(*, actor, building_id: int, name: str, stations, services: str = "",
                     opened_on: date | None = None) -> Workstation:
    building = BuildingProfile.objects.get_managed(actor, pk=building_id)
    chosen = sorted(set(stations or ()))
    if not chosen or any(kind not in StationKind.values for kind in chosen):
        raise ValidationFailed(_("Choose the stations the workstation combines."), code="invalid_stations",
                               field="stations")
    if Workstation.objects.filter(building=building).exists():
        raise ValidationFailed(_("This building already has a workstation."), code="workstation_exists",
                               field="building_id")
    station = Workstation(building=building, name=text(name, field="name", high=100), stations=chosen,
                          services=text(services, field="services", high=2000, required=False), opened_on=opened_on)
    station.save()
    audit.record(actor=actor, action="partybuilding.workstation.open", target=station,
                 region_code=station.region_code, detail={"stations": chosen})
    return station


@transaction.atomic
def add_staff(*, actor, workstation_id: int, name: str, station: str, post: str = "") -> StationStaff:
    workstation = Workstation.objects.get_managed(actor, pk=workstation_id)
    if station not in workstation.stations:
        raise ValidationFailed(_("The workstation does not combine this station."), code="invalid_station",
                               field="station")
    made = StationStaff.objects.create(workstation=workstation, name=text(name, field="name", high=50),
                                       station=station, post=text(post, field="post", high=50, required=False))
    audit.record(actor=actor, action="partybuilding.workstation.staff", target=workstation,
                 region_code=workstation.region_code, detail={"station": station, "staff": made.pk})
    return made


@transaction.atomic
def remove_staff(*, actor, staff_id: int) -> Workstation:
    """A staff member leaves their station; the audit event keeps who and which station."""
    member = StationStaff.objects.select_related("workstation").get_managed(actor, pk=staff_id)
    workstation = member.workstation
    audit.record(actor=actor, action="partybuilding.workstation.staff_remove", target=workstation,
                 region_code=workstation.region_code, detail={"station": member.station, "staff": member.pk})
    member.delete()
    return workstation


@transaction.atomic
def add_room(*, actor, workstation_id: int, name: str, capacity: int) -> Room:
    workstation = Workstation.objects.get_managed(actor, pk=workstation_id)
    room = Room.objects.create(workstation=workstation, name=text(name, field="name", high=50),
                               capacity=count(capacity, field="capacity", low=1, high=1000))
    audit.record(actor=actor, action="partybuilding.room.add", target=room, region_code=workstation.region_code)
    return room


def _span(starts_at: datetime, ends_at: datetime) -> None:
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise ValidationFailed(_("The booking must end after it starts."), code="invalid_span", field="ends_at")
    if (ends_at - starts_at).total_seconds() > MAX_BOOKING_HOURS * 3600:
        raise ValidationFailed(_("A booking lasts at most %(hours)d hours.") % {"hours": MAX_BOOKING_HOURS},
                               code="booking_too_long", field="ends_at")
    if ends_at <= timezone.now():
        raise ValidationFailed(_("The time has already passed."), code="in_the_past", field="starts_at")


@transaction.atomic
def book_room(*, actor, room_id: int, starts_at: datetime, ends_at: datetime, purpose: str,
              enterprise_id: int | None = None) -> Booking:
    """Book under the room's row lock: of two overlapping bookings made at once, the second sees the first and is
    refused with `room_taken`."""
    Room.objects.get_managed(actor, pk=room_id)
    room = Room.objects.select_for_update(of=("self",)).select_related("workstation").get(pk=room_id)
    _span(starts_at, ends_at)
    enterprise = Enterprise.objects.get_visible(actor, pk=enterprise_id) if enterprise_id else None
    clash = room.bookings.filter(cancelled_at__isnull=True, starts_at__lt=ends_at, ends_at__gt=starts_at).first()
    if clash is not None:
        raise RoomTaken(details=[{"starts_at": clash.starts_at.isoformat(), "ends_at": clash.ends_at.isoformat()}])
    booking = Booking(room=room, starts_at=starts_at, ends_at=ends_at, purpose=text(purpose, field="purpose"),
                      enterprise=enterprise, booked_by=actor)
    booking.full_clean()
    booking.save()
    audit.record(actor=actor, action="partybuilding.room.book", target=booking,
                 region_code=room.workstation.region_code,
                 detail={"room": room.pk, "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()})
    return booking


@transaction.atomic
def cancel_booking(*, actor, booking_id: int) -> Booking:
    booking = Booking.objects.select_for_update().get_managed(actor, pk=booking_id)
    if booking.cancelled_at is None:
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["cancelled_at"])
        audit.record(actor=actor, action="partybuilding.room.cancel", target=booking,
                     region_code=booking.room.workstation.region_code)
    return booking


@transaction.atomic
def create_event(*, actor, workstation_id: int, title: str, starts_at: datetime, capacity: int,
                 self_signup: bool = False) -> StationEvent:
    """`self_signup`: white-collar staff see the event and sign themselves up (any signed-in user)."""
    workstation = Workstation.objects.get_managed(actor, pk=workstation_id)
    if starts_at is None:
        raise ValidationFailed(code="invalid_date", field="starts_at")
    event = StationEvent(workstation=workstation, title=text(title, field="title", high=100), starts_at=starts_at,
                         capacity=count(capacity, field="capacity", low=1, high=5000), self_signup=bool(self_signup))
    event.save()
    audit.record(actor=actor, action="partybuilding.event.create", target=event, region_code=event.region_code,
                 detail={"self_signup": event.self_signup})
    return event


@transaction.atomic
def sign_up(*, actor, event_id: int, name: str, enterprise_id: int) -> EventSignup:
    """The workstation signs up a worker of a tenant while seats remain (counted under the event's lock)."""
    StationEvent.objects.get_managed(actor, pk=event_id)
    event = StationEvent.objects.select_for_update(of=("self",)).select_related("workstation").get(pk=event_id)
    enterprise = Enterprise.objects.get_visible(actor, pk=enterprise_id)
    if enterprise.building_id != event.workstation.building_id:
        raise ValidationFailed(_("The enterprise is not a tenant of this building."), code="not_a_tenant",
                               field="enterprise_id")
    if event.starts_at <= timezone.now():
        raise ValidationFailed(_("The event has already begun."), code="event_started", field="event_id")
    person = text(name, field="name", high=50)
    if event.signups.filter(enterprise=enterprise, name=person).exists():
        raise AlreadySignedUp()
    if event.signups.count() >= event.capacity:
        raise EventFull()
    try:
        with transaction.atomic():
            made = EventSignup.objects.create(event=event, name=person, enterprise=enterprise, created_by=actor)
    except IntegrityError:
        raise AlreadySignedUp() from None
    audit.record(actor=actor, action="partybuilding.event.signup", target=event, region_code=event.region_code,
                 detail={"enterprise": enterprise.pk})
    return made


@transaction.atomic
def file_request(*, actor, workstation_id: int, enterprise_id: int, description: str,
                 category_id: int) -> CompanyRequest:
    """The workstation takes a company's problem and makes it a grid case at the building: registered and
    dispatched at once to the unit the cases module routes the category to in that grid (`cases.routing`)."""
    workstation = Workstation.objects.select_related("building__place").get_managed(actor, pk=workstation_id)
    enterprise = Enterprise.objects.get_visible(actor, pk=enterprise_id)
    if enterprise.building_id != workstation.building_id:
        raise ValidationFailed(_("The enterprise is not a tenant of this building."), code="not_a_tenant",
                               field="enterprise_id")
    if not Category.objects.filter(pk=category_id, active=True).exists():
        raise ValidationFailed(_("Unknown category."), code="unknown_category", field="category_id")
    body = text(description, field="description", low=2, high=2000)
    place = workstation.building.place
    case = cases.report_case(actor=actor, channel=Channel.BUILDING, lon=place.lon, lat=place.lat,
                             address=place.name, description=f"【{enterprise.name}】{body}",
                             category_id=category_id, reporter_name=enterprise.name[:50])
    cases.perform(actor=actor, case_id=case.pk, action="register")
    case = cases.perform(actor=actor, case_id=case.pk, action="dispatch")
    made = CompanyRequest.objects.create(workstation=workstation, enterprise=enterprise, description=body, case=case,
                                         created_by=actor)
    audit.record(actor=actor, action="partybuilding.request.file", target=made, region_code=workstation.region_code,
                 detail={"case": case.pk, "unit": case.unit_id})
    return made
