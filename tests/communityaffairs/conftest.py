"""Community-affairs fixtures: a roster in community A, a catalogue item, a registered resident in a special group,
and the next free window slot."""

import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone

from civicgrid.communityaffairs import services
from civicgrid.people import services as people
from civicgrid.people.models import SpecialGroup, StaffMember
from civicgrid.territory.models import Place, PlaceKind
from tests.conftest import COMM_A, DISTRICT, GRID_A
from tests.volunteering.conftest import make_id

_seq = itertools.count(500)


def staff(region, body, position="工作人员", n=1, user=None):
    made = [StaffMember.objects.create(name=f"工作者{next(_seq)}", body=body, position=position, region=region,
                                       user=user if i == 0 else None) for i in range(n)]
    return made[0] if n == 1 else made


def next_slot(offset_days: int = 1, index: int = 0):
    day = timezone.localdate() + timedelta(days=offset_days)
    while not services.slots_of(day):
        day += timedelta(days=1)
    return services.slots_of(day)[index]


@pytest.fixture
def place(regions):
    return Place.objects.create(name="幸福小区", kind=PlaceKind.OLD_COMPOUND, grid=regions["grid_a"], lon=116.155,
                                lat=39.905, households=100)


@pytest.fixture
def elderly(users, place):
    """A resident of community A in the register as elderly living alone."""
    return people.register_resident(actor=users["community_a"], place=place, unit_label="1-101", name="张大爷",
                                    id_number=make_id(next(_seq), birth=date(1940, 5, 1)),
                                    groups=[SpecialGroup.ELDERLY_ALONE])


@pytest.fixture
def item(users):
    return services.create_item(actor=users["district"], region=DISTRICT, code="T-001", name="居住证明开具",
                                who_may_apply="本社区居民", documents="身份证\n户口簿", steps="取号\n核验\n出具",
                                time_limit_days=2, fee="免费")


@pytest.fixture
def elderly_item(users):
    return services.create_item(actor=users["district"], region=DISTRICT, code="T-002", name="独居老人助餐登记",
                                who_may_apply="独居老人", documents="身份证", steps="登记", time_limit_days=3,
                                fee="免费", eligible_groups=[SpecialGroup.ELDERLY_ALONE])


__all__ = ["COMM_A", "GRID_A", "next_slot", "staff"]
