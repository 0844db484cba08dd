"""Consultation fixtures: two compounds of community A, residents of the register with verified accounts."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.accounts.models import Role
from civicgrid.consultation import services
from civicgrid.people import services as people
from civicgrid.territory.models import Place, PlaceKind
from tests.conftest import COMM_A, make_user
from tests.volunteering.conftest import make_id

_seq = itertools.count(600)
IN_A = (116.155, 39.905)


@pytest.fixture
def compounds(regions):
    old = Place.objects.create(name="老山东里", kind=PlaceKind.OLD_COMPOUND, grid=regions["grid_a"], lon=IN_A[0],
                               lat=IN_A[1], households=50, population=120)
    rental = Place.objects.create(name="公租房北区", kind=PlaceKind.PUBLIC_RENTAL, grid=regions["grid_a"],
                                  lon=IN_A[0] + 0.001, lat=IN_A[1], households=40, population=90)
    return {"old": old, "rental": rental}


def verified(staff, place, unit_label: str, username: str | None = None):
    """A register resident of `place` at `unit_label`, with a resident account verified by `staff`."""
    seq = next(_seq)
    resident = people.register_resident(actor=staff, place=place, unit_label=unit_label, name=f"居民{seq}",
                                        id_number=make_id(seq))
    user = make_user(username or f"res-{seq}", Role.RESIDENT)
    services.verify_resident(actor=staff, username=user.username, resident_id=resident.pk)
    return user


@pytest.fixture
def neighbours(users, compounds):
    """Four verified residents: two of one household (101), two more households, all in the old compound,
    and one of the public-rental compound."""
    staff = users["community_a"]
    return {
        "wang": verified(staff, compounds["old"], "1-101"),
        "wang_wife": verified(staff, compounds["old"], "1-101"),
        "li": verified(staff, compounds["old"], "1-102"),
        "zhao": verified(staff, compounds["old"], "2-201"),
        "chen": verified(staff, compounds["rental"], "5-501"),
    }


def topic_of(user, compounds, **extra):
    return services.propose_topic(actor=user, community=COMM_A, title=extra.pop("title", "加装电梯"),
                                  text=extra.pop("text", "老楼没有电梯，老人上下楼困难。"),
                                  place_ids=extra.pop("place_ids", [compounds["old"].pk]), **extra)


def in_days(days: float):
    return timezone.now() + timedelta(days=days)
