"""Overlapping bookings of one room made at the same moment from threads: exactly one wins, the others are refused
with `room_taken`; bookings of other rooms or other times all pass. Run on PostgreSQL (and SQLite) in CI."""

import pytest

from civicgrid.partybuilding import services
from civicgrid.partybuilding.models import Booking
from tests.concurrency import in_threads, outcome
from tests.partybuilding.conftest import later

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
THREADS = 8


def _book(user_id: int, room_id: int, start_h: float, end_h: float) -> str:
    from civicgrid.accounts.models import User

    return outcome(services.book_room, actor=User.objects.get(pk=user_id), room_id=room_id, starts_at=later(start_h),
                   ends_at=later(end_h), purpose="并发预订")


def test_overlapping_bookings_at_once_leave_exactly_one(users, room, station):
    other = services.add_room(actor=users["community_a"], workstation_id=station.pk, name="小会议室", capacity=6)
    staff = users["community_a"].pk
    calls = [(staff, room.pk, 10 + i * 0.25, 12 + i * 0.25) for i in range(THREADS)]  # all overlap each other
    calls += [(staff, other.pk, 10, 12), (staff, room.pk, 20, 21)]  # another room; a later, free time
    results = in_threads(_book, calls, together=True)
    assert sorted(results) == sorted(["ok"] * 3 + ["room_taken"] * (THREADS - 1))
    assert Booking.objects.filter(room=room).count() == 2
    spans = sorted(Booking.objects.filter(room=room).values_list("starts_at", "ends_at"))
    assert spans[0][1] <= spans[1][0]  # never overlapping


def _use(user_id: int, pledge_id: int) -> str:
    from datetime import date

    from civicgrid.accounts.models import User

    return outcome(services.record_use, actor=User.objects.get(pk=user_id), pledge_id=pledge_id, used_on=date.today(),
                   used_by="并发使用", purpose="接送", amount=1)


def test_uses_of_a_pledge_recorded_at_once_never_exceed_its_quantity(users, building):
    from civicgrid.partybuilding.models import PledgeUse
    from tests.partybuilding.conftest import enterprise

    firm = enterprise(users["community_a"], building=building, employees=120)
    model = services.name_model_enterprise(actor=users["district"], enterprise_id=firm.pk, year=2026, rank=1)
    pledge = services.add_pledge(actor=users["district"], model_id=model.pk, unit="联动单位", kind="vehicle",
                                 description="通勤车", amount=3)
    results = in_threads(_use, [(users["community_a"].pk, pledge.pk)] * THREADS, together=True)
    assert sorted(results) == sorted(["ok"] * 3 + ["pledge_exhausted"] * (THREADS - 3))
    assert PledgeUse.objects.filter(pledge=pledge).count() == 3


def _self(user_id: int, event_id: int, enterprise_id: int) -> str:
    from civicgrid.accounts.models import User

    return outcome(services.sign_up_self, actor=User.objects.get(pk=user_id), event_id=event_id, name=f"白领{user_id}",
                   enterprise_id=enterprise_id)


def test_self_sign_ups_at_once_fill_the_seats_and_never_more(users, station, building):
    from civicgrid.accounts.models import Role
    from civicgrid.partybuilding.models import EventSignup
    from tests.conftest import make_user
    from tests.partybuilding.conftest import enterprise, later

    tenant = enterprise(users["community_a"], building=building)
    event = services.create_event(actor=users["community_a"], workstation_id=station.pk, title="白领联谊",
                                  starts_at=later(24), capacity=3, self_signup=True)
    people = [make_user(f"white-{i}", Role.RESIDENT) for i in range(THREADS - 1)]
    calls = [(p.pk, event.pk, tenant.pk) for p in people] + [(people[0].pk, event.pk, tenant.pk)]  # one twice
    results = in_threads(_self, calls, together=True)
    assert results.count("ok") == 3 and set(results) <= {"ok", "event_full", "already_signed_up"}
    assert EventSignup.objects.filter(event=event).count() == 3
    assert EventSignup.objects.filter(event=event, user=people[0]).count() <= 1
