"""The one-stop window: bookings (one per slot), special-group eligibility from the people register, the handling
record with its working-day time limit, and passing an application on as a case."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from civicgrid.cases.models import Case, Channel
from civicgrid.communityaffairs import selectors, services
from civicgrid.communityaffairs.errors import NotASlot, NotEligible, SlotTaken
from civicgrid.communityaffairs.models import Appointment, Handling
from civicgrid.core import workcalendar
from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.core.models import AuditEvent
from tests.communityaffairs.conftest import next_slot
from tests.conftest import COMM_A, COMM_B
from tests.volunteering.conftest import make_id

pytestmark = pytest.mark.django_db


def _book(user, item, slot, **extra):
    return services.book(actor=user, community=COMM_A, item_id=item.pk, starts_at=slot,
                         **{"applicant": "李女士", "phone": "13800138000", **extra})


def test_slots_are_half_hours_of_working_days_in_office_hours():
    monday = datetime(2026, 3, 2).date()  # a working day
    slots = services.slots_of(monday)
    assert len(slots) == 12 and timezone.localtime(slots[0]).hour == 9
    assert [timezone.localtime(s).strftime("%H:%M") for s in slots[4:6]] == ["11:00", "13:30"]
    assert services.slots_of(datetime(2026, 3, 1).date()) == []  # a Sunday
    assert services.slots_of(datetime(2026, 10, 1).date()) == []  # National Day


def test_a_resident_books_and_the_phone_is_kept_masked(users, regions, item):
    slot = next_slot()
    booked = _book(users["resident"], item, slot)
    assert booked.phone_masked == "138****8000" and "13800138000" not in booked.phone_cipher
    assert AuditEvent.objects.filter(action="communityaffairs.appointment.book").count() == 1
    assert slot not in services.free_slots(community=COMM_A, day=timezone.localtime(slot).date())
    assert list(selectors.my_appointments(actor=users["resident"])) == [booked]


def test_a_slot_is_booked_once(users, regions, item):
    slot = next_slot()
    _book(users["resident"], item, slot)
    with pytest.raises(SlotTaken) as refused:
        _book(users["community_a"], item, slot)
    assert refused.value.code == "slot_taken" and refused.value.status == 409
    assert Appointment.objects.count() == 1
    # the same time at another community's window is free
    services.book(actor=users["community_a"], community=COMM_B, item_id=item.pk, starts_at=slot, applicant="王先生",
                  phone="13900139000")


def test_a_cancelled_slot_can_be_booked_again(users, regions, item):
    slot = next_slot()
    first = _book(users["resident"], item, slot)
    services.cancel(actor=users["resident"], appointment_id=first.pk)
    assert _book(users["community_a"], item, slot).pk != first.pk


def test_slots_outside_office_hours_or_in_the_past_are_refused(users, regions, item):
    slot = next_slot()
    for wrong in (slot + timedelta(minutes=10), slot - timedelta(days=400), slot.replace(hour=4)):
        with pytest.raises(NotASlot):
            _book(users["resident"], item, wrong)


def test_special_group_items_need_a_resident_of_that_group(users, regions, elderly, elderly_item, item):
    with pytest.raises(ValidationFailed) as missing:
        _book(users["resident"], elderly_item, next_slot())
    assert missing.value.field == "id_number"
    with pytest.raises(NotEligible):  # a valid number that the register does not list in the group
        _book(users["resident"], elderly_item, next_slot(), id_number=make_id(77))
    booked = _book(users["resident"], elderly_item, next_slot(index=1), id_number=_id_number(elderly))
    assert booked.resident == elderly
    with pytest.raises(NotEligible):  # the window checks the register too
        services.receive_walk_in(actor=users["community_a"], community=COMM_A, item_id=elderly_item.pk,
                                 applicant="路人")
    handling = services.receive_walk_in(actor=users["community_a"], community=COMM_A, item_id=elderly_item.pk,
                                        applicant="张大爷", resident_id=elderly.pk)
    assert handling.resident == elderly


def _id_number(resident) -> str:
    from civicgrid.core.encrypted import unseal

    return unseal(resident, "id_number")


def test_the_window_receives_a_booking_and_finishes_it_in_time(users, regions, item):
    booked = _book(users["resident"], item, next_slot())
    handling = services.receive_appointment(actor=users["community_a"], appointment_id=booked.pk)
    booked.refresh_from_db()
    assert booked.status == "received" and handling.handled_by == users["community_a"]
    assert handling.due_at == workcalendar.add_working_days(handling.received_at, 2)
    done = services.finish(actor=users["community_a"], handling_id=handling.pk, result="done")
    assert done.in_time is True and done.finished_at <= done.due_at
    with pytest.raises(NotFound):
        services.receive_appointment(actor=users["community_b"], appointment_id=booked.pk)


def test_finishing_after_the_working_day_limit_is_late(users, regions, item):
    handling = services.receive_walk_in(actor=users["community_a"], community=COMM_A, item_id=item.pk,
                                        applicant="赵先生")
    Handling.objects.filter(pk=handling.pk).update(due_at=timezone.now() - timedelta(hours=1))
    assert services.finish(actor=users["community_a"], handling_id=handling.pk, result="refused",
                           note="材料不全").in_time is False


def test_the_time_limit_skips_weekends_and_holidays(users, regions, item):
    friday = timezone.make_aware(datetime(2026, 9, 25, 10, 0))  # before the National Day week
    assert workcalendar.add_working_days(friday, 2).date() == datetime(2026, 9, 29).date()
    eve = timezone.make_aware(datetime(2026, 9, 30, 10, 0))
    assert workcalendar.add_working_days(eve, 1).date() == datetime(2026, 10, 8).date()  # 1–7 October off


def test_a_refusal_needs_its_reason(users, regions, item):
    handling = services.receive_walk_in(actor=users["community_a"], community=COMM_A, item_id=item.pk,
                                        applicant="赵先生")
    with pytest.raises(ValidationFailed) as refused:
        services.finish(actor=users["community_a"], handling_id=handling.pk, result="refused")
    assert refused.value.code == "reason_required"


def test_what_the_community_cannot_finish_becomes_a_case(users, regions, item, place):
    handling = services.receive_walk_in(actor=users["community_a"], community=COMM_A, item_id=item.pk,
                                        applicant="钱女士")
    passed = services.pass_to_case(actor=users["community_a"], handling_id=handling.pk,
                                   description="房屋产权纠纷，需区住建部门处理")
    case = Case.objects.get(pk=passed.case_id)
    assert passed.result == "case" and passed.in_time is True
    assert case.channel == Channel.ONE_STOP and case.region_code.startswith(COMM_A)
    assert "居住证明开具" in case.description and case.attributes == {"onestop_handling": handling.pk}
    assert AuditEvent.objects.filter(action="cases.report").count() == 1
