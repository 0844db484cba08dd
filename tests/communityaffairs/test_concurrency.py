"""Many residents booking the same window slot at once: exactly one booking stands, the others are refused with
slot_taken (a partial unique index decides, on SQLite and on PostgreSQL)."""

import pytest

from civicgrid.communityaffairs import services
from civicgrid.communityaffairs.models import Appointment
from tests.communityaffairs.conftest import next_slot
from tests.concurrency import in_threads, outcome
from tests.conftest import COMM_A, DISTRICT, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
WORKERS = 8


def _book(user_id: int, item_id: int, slot) -> str:
    from civicgrid.accounts.models import User

    return outcome(services.book, actor=User.objects.get(pk=user_id), community=COMM_A, item_id=item_id,
                   starts_at=slot, applicant="同时预约", phone="13800138000")


def test_one_slot_one_booking_under_concurrency(users):
    item = services.create_item(actor=users["district"], region=DISTRICT, code="CON-1", name="居住证明开具",
                                who_may_apply="居民", documents="身份证", steps="受理", time_limit_days=1, fee="免费")
    residents = [make_user(f"rush-{n}", "resident") for n in range(WORKERS)]
    slot = next_slot()
    results = in_threads(_book, [(r.pk, item.pk, slot) for r in residents], together=True)
    assert sorted(results) == ["ok"] + ["slot_taken"] * (WORKERS - 1)
    assert Appointment.objects.filter(starts_at=slot).count() == 1
