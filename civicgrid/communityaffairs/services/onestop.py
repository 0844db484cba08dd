"""The one-stop window: the catalogue, residents' bookings (one per slot), the handling record with its working-day
time limit, special-group eligibility from the people register, and passing an item on as a case."""

from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.communityaffairs import selectors
from civicgrid.communityaffairs.errors import NotASlot, NotEligible, SlotTaken
from civicgrid.communityaffairs.models import Appointment, AppointmentStatus, Handling, ServiceItem
from civicgrid.communityaffairs.services.common import managed_area, managed_community, number, text
from civicgrid.core import audit, crypto, workcalendar
from civicgrid.core.encrypted import seal
from civicgrid.core.errors import NotAuthenticated, NotFound, ValidationFailed
from civicgrid.core.personal import mask_phone, normalize_id_number, normalize_phone
from civicgrid.people.models import Resident, ResidentGroup, SpecialGroup
from civicgrid.territory.models import Level, Region

SLOT = timedelta(minutes=30)
SESSIONS = ((time(9, 0), time(11, 30)), (time(13, 30), time(17, 0)))


# --- the catalogue -------------------------------------------------------------------------------------------

def create_item(*, actor, region: str, code: str, name: str, who_may_apply: str, documents: str, steps: str,
                time_limit_days, fee: str, eligible_groups=()) -> ServiceItem:
    area = managed_area(actor, region)
    groups = sorted(set(eligible_groups or ()))
    if set(groups) - set(SpecialGroup.values):
        raise ValidationFailed(_("Choose special groups of the people register."), code="invalid_groups",
                               field="eligible_groups")
    item = ServiceItem(region_code=area, code=text(code, field="code", low=2, high=20), name=text(name, field="name",
                       low=2, high=100), who_may_apply=text(who_may_apply, field="who_may_apply", high=2000),
                       documents=text(documents, field="documents", high=2000),
                       steps=text(steps, field="steps", high=2000),
                       time_limit_days=int(number(time_limit_days, field="time_limit_days", low=1, high=60)),
                       fee=text(fee, field="fee", high=100), eligible_groups=groups)
    if ServiceItem.objects.filter(code=item.code).exists():
        raise ValidationFailed(_("This item code is already in the catalogue."), code="duplicate_item",
                               field="code")
    with transaction.atomic():
        item.full_clean()
        item.save()
        audit.record(actor=actor, action="communityaffairs.item.create", target=item, region_code=area,
                     detail={"code": item.code, "groups": groups, "days": item.time_limit_days})
    return item


# --- slots and bookings --------------------------------------------------------------------------------------

def slots_of(day) -> list[datetime]:
    """The half-hour slots of a working day in office hours (Asia/Shanghai); none on other days."""
    if not workcalendar.is_workday(day):
        return []
    tz = timezone.get_current_timezone()
    found = []
    for begin, end in SESSIONS:
        at = datetime.combine(day, begin, tz)
        while at + SLOT <= datetime.combine(day, end, tz):
            found.append(at)
            at += SLOT
    return found


def free_slots(*, community: str, day) -> list[datetime]:
    now = timezone.now()
    taken = set(Appointment.objects.filter(region_code=community, starts_at__date=day)
                .exclude(status=AppointmentStatus.CANCELLED).values_list("starts_at", flat=True))
    return [slot for slot in slots_of(day) if slot > now and slot not in taken]


def _check_slot(starts_at: datetime) -> datetime:
    if starts_at is None or timezone.is_naive(starts_at):
        raise NotASlot(field="starts_at")
    local = timezone.localtime(starts_at)
    if starts_at <= timezone.now() or local not in slots_of(local.date()):
        raise NotASlot(field="starts_at")
    return starts_at


def _resident_by_id_number(id_number: str, community: str) -> Resident | None:
    try:
        number_ = normalize_id_number(id_number or "")
    except ValidationFailed as error:
        error.field = "id_number"
        raise
    return Resident.objects.within(community).filter(
        id_number_index__in=crypto.blind_index_candidates(number_)).first()


def ensure_eligible(item: ServiceItem, resident: Resident | None) -> None:
    """An item meant for special groups needs a resident of the register listed in one of them."""
    if not item.eligible_groups:
        return
    if resident is None or not ResidentGroup.objects.filter(resident=resident,
                                                            group__in=item.eligible_groups).exists():
        raise NotEligible()


def _item_for(community: str, item_id: int) -> ServiceItem:
    item = selectors.catalogue(code=community).filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    return item


def book(*, actor, community: str, item_id: int, starts_at: datetime, applicant: str, phone: str,
         id_number: str = "") -> Appointment:
    """A signed-in resident books a window slot. Two bookings of one slot: the second is refused (slot_taken),
    also when both arrive at once (a partial unique index decides)."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if not Region.objects.filter(code=community, level=Level.COMMUNITY).exists():
        raise NotFound()
    item = _item_for(community, item_id)
    starts_at = _check_slot(starts_at)
    applicant = text(applicant, field="applicant", low=2, high=50)
    try:
        phone = normalize_phone(phone)
    except ValidationFailed as error:
        error.field = "phone"
        raise
    resident = _resident_by_id_number(id_number, community) if (item.eligible_groups or id_number) else None
    ensure_eligible(item, resident)
    appointment = Appointment(region_code=community, item=item, starts_at=starts_at, user=actor,
                              applicant=applicant, resident=resident)
    seal(appointment, "phone", phone)
    appointment.phone_masked = mask_phone(phone)
    with transaction.atomic():
        try:
            with transaction.atomic():
                appointment.save()
        except IntegrityError:
            raise SlotTaken(field="starts_at") from None
        audit.record(actor=actor, action="communityaffairs.appointment.book", target=appointment,
                     region_code=community, detail={"item": item.code, "slot": starts_at.isoformat()})
    return appointment


def cancel(*, actor, appointment_id: int) -> Appointment:
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().filter(pk=appointment_id, user=actor).first() \
            if getattr(actor, "is_authenticated", False) else None
        if appointment is None:
            raise NotFound()
        if appointment.status == AppointmentStatus.CANCELLED:
            return appointment
        if appointment.status != AppointmentStatus.BOOKED:
            raise ValidationFailed(_("This appointment was already received at the window."),
                                   code="already_received")
        appointment.status = AppointmentStatus.CANCELLED
        appointment.save(update_fields=["status"])
        audit.record(actor=actor, action="communityaffairs.appointment.cancel", target=appointment,
                     region_code=appointment.region_code, detail={"status": appointment.status})
    return appointment


# --- the window ----------------------------------------------------------------------------------------------

def _start_handling(actor, *, code: str, item: ServiceItem, applicant: str, resident: Resident | None,
                    appointment: Appointment | None) -> Handling:
    ensure_eligible(item, resident)
    now = timezone.now()
    handling = Handling(region_code=code, item=item, appointment=appointment, applicant=applicant, resident=resident,
                        handled_by=actor, received_at=now,
                        due_at=workcalendar.add_working_days(now, item.time_limit_days))
    handling.full_clean()
    handling.save()
    audit.record(actor=actor, action="communityaffairs.handling.receive", target=handling, region_code=code,
                 detail={"item": item.code, "appointment": appointment.pk if appointment else None,
                         "due_at": handling.due_at.isoformat()})
    return handling


def receive_appointment(*, actor, appointment_id: int) -> Handling:
    """The window receives a booked applicant: the handling record starts, due after the item's working days."""
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().filter(
            pk__in=Appointment.objects.managed_by(actor).filter(pk=appointment_id).values("pk")).first()
        if appointment is None:
            Appointment.objects.get_managed(actor, pk=appointment_id)  # 404 or 403
            raise NotFound()
        if appointment.status != AppointmentStatus.BOOKED:
            raise ValidationFailed(_("This appointment is not waiting at the window."), code="not_booked")
        appointment.status = AppointmentStatus.RECEIVED
        appointment.save(update_fields=["status"])
        return _start_handling(actor, code=appointment.region_code, item=appointment.item,
                               applicant=appointment.applicant, resident=appointment.resident,
                               appointment=appointment)


def receive_walk_in(*, actor, community: str, item_id: int, applicant: str,
                    resident_id: int | None = None) -> Handling:
    code = managed_community(actor, community)
    item = _item_for(code, item_id)
    resident = Resident.objects.get_visible(actor, pk=resident_id) if resident_id else None
    with transaction.atomic():
        return _start_handling(actor, code=code, item=item, applicant=text(applicant, field="applicant", low=2,
                               high=50), resident=resident, appointment=None)


def _locked_open(actor, handling_id: int) -> Handling:
    Handling.objects.get_managed(actor, pk=handling_id)
    handling = Handling.objects.select_for_update().get(pk=handling_id)
    if handling.result != Handling.Result.OPEN:
        raise ValidationFailed(_("This application is already finished."), code="already_finished")
    return handling


def _close(handling: Handling, result: str, note: str) -> None:
    handling.finished_at = timezone.now()
    handling.result, handling.note = result, note
    handling.in_time = handling.finished_at <= handling.due_at
    handling.save()


def finish(*, actor, handling_id: int, result: str, note: str = "") -> Handling:
    """Done or refused (a refusal needs its reason); in time when finished by the due time."""
    with transaction.atomic():
        handling = _locked_open(actor, handling_id)  # the record first: outsiders learn nothing from the input check
        if result not in (Handling.Result.DONE, Handling.Result.REFUSED):
            raise ValidationFailed(_("Choose done or refused."), code="invalid_result", field="result")
        note = " ".join(str(note or "").split())[:500]
        if result == Handling.Result.REFUSED and len(note) < 2:
            raise ValidationFailed(_("Give the reason for the refusal."), code="reason_required", field="note")
        _close(handling, result, note)
        audit.record(actor=actor, action="communityaffairs.handling.finish", target=handling,
                     region_code=handling.region_code, detail={"result": result, "in_time": handling.in_time})
    return handling


def _location(handling: Handling) -> tuple[float | None, float | None]:
    if handling.resident is not None:
        place = handling.resident.place
        return place.lon, place.lat
    region = Region.objects.get(code=handling.region_code)
    if region.center_lon is not None and region.center_lat is not None:
        return region.center_lon, region.center_lat
    if region.boundary:
        from shapely.geometry import shape

        point = shape(region.boundary).representative_point()
        return point.x, point.y
    return None, None


def pass_to_case(*, actor, handling_id: int, description: str) -> Handling:
    """What the community cannot finish becomes a case (cases' own intake service, channel one-stop window)."""
    from civicgrid.cases.models import Channel
    from civicgrid.cases.services import report_case

    with transaction.atomic():
        handling = _locked_open(actor, handling_id)
        description = text(description, field="description", low=2, high=2000)
        lon, lat = _location(handling)
        case = report_case(actor=actor, channel=Channel.ONE_STOP, lon=lon, lat=lat,
                           description=f"【{handling.item.name}】{description}", reporter_name=handling.applicant,
                           attributes={"onestop_handling": handling.pk})
        handling.case = case
        _close(handling, Handling.Result.CASE, description[:500])
        audit.record(actor=actor, action="communityaffairs.handling.case", target=handling,
                     region_code=handling.region_code, detail={"case": case.number, "in_time": handling.in_time})
    return handling
