"""Party building fixtures: an office building of community A with tenants (valid credit codes), a workstation
with a room, and a resident of the register."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.core.creditcode import check_character
from civicgrid.partybuilding import services
from civicgrid.people import services as people
from civicgrid.territory.models import Place, PlaceKind
from tests.conftest import GRID_A
from tests.volunteering.conftest import make_id

_seq = itertools.count(1)
IN_A = (116.155, 39.905)


def credit_code(seq: int) -> str:
    """A valid unified social credit code (check character computed as GB 32100 says)."""
    first17 = f"91110107MA{seq:07d}"
    return first17 + check_character(first17)


def wrong_check(code: str) -> str:
    """The same code with another check character."""
    return code[:17] + ("0" if code[17] != "0" else "1")


def enterprise(actor, *, employees=10, building=None, name=None, **extra):
    seq = next(_seq)
    return services.register_enterprise(actor=actor, name=name or f"企业{seq}", credit_code=credit_code(seq),
                                        size="small", building_id=building.pk if building else None,
                                        region_code="" if building else GRID_A, employees=employees, **extra)


def later(hours: float):
    return timezone.now() + timedelta(hours=hours)


@pytest.fixture
def office(regions):
    return Place.objects.create(name="鲁谷商务楼", kind=PlaceKind.OFFICE_BUILDING, grid=regions["grid_a"],
                                lon=IN_A[0], lat=IN_A[1])


@pytest.fixture
def building(users, office):
    return services.register_building(actor=users["community_a"], place_id=office.pk, floors=18,
                                      committee="楼宇管委会")


@pytest.fixture
def station(users, building):
    return services.open_workstation(actor=users["community_a"], building_id=building.pk, name="鲁谷楼宇工作站",
                                     stations=["party", "union", "youth", "women", "social"])


@pytest.fixture
def room(users, station):
    return services.add_room(actor=users["community_a"], workstation_id=station.pk, name="白领之家", capacity=20)


@pytest.fixture
def compound(regions):
    return Place.objects.create(name="杨庄小区", kind=PlaceKind.OLD_COMPOUND, grid=regions["grid_a"], lon=IN_A[0],
                                lat=IN_A[1], households=30, population=80)


def resident(actor, place, name="党员甲"):
    return people.register_resident(actor=actor, place=place, unit_label="1-101", name=name,
                                    id_number=make_id(700 + next(_seq)), phone="13800001234")
