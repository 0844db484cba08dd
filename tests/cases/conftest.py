"""Case fixtures: the seeded taxonomy and units (a data migration), a unit user, helpers to move a case."""

import io

import pytest
from PIL import Image

from civicgrid.accounts.models import Role
from civicgrid.cases import services
from civicgrid.cases.models import Category, Channel, HandlingUnit
from tests.conftest import make_user

IN_A = (116.155, 39.905)  # inside grid a
IN_B = (116.205, 39.905)  # inside grid b
OUTSIDE = (117.5, 40.5)


@pytest.fixture
def unit(users):
    city = HandlingUnit.objects.get(code="city")
    member = make_user("unit-01", Role.HANDLING_UNIT, "110107")
    city.members.add(member)
    city.supervisor = users["district"]
    city.save()
    users["unit"] = member
    users["other_unit"] = make_user("unit-02", Role.HANDLING_UNIT, "110107")
    HandlingUnit.objects.get(code="housing").members.add(users["other_unit"])
    return city


@pytest.fixture
def garbage():
    return Category.objects.get(code="0101")


def report(users, where=IN_A, category=None, **extra):
    extra.setdefault("description", "小区门口有暴露垃圾")
    return services.report_case(actor=users["resident"], channel=Channel.RESIDENT, lon=where[0], lat=where[1],
                                category_id=category.pk if category else None, **extra)


def to_state(users, case, state, unit=None):
    """Drive a case forward along the happy path up to `state`."""
    steps = [("registered", "register", "community_a", {}),
             ("dispatched", "dispatch", "community_a", {}),
             ("handling", "accept", "unit", {}),
             ("replied", "reply", "unit", {"note": "已清运"}),
             ("verified", "verify", "grid_a", {}),
             ("closed", "close", "community_a", {})]
    for reached, action, who, params in steps:
        case = services.perform(actor=users[who], case_id=case.pk, action=action, **params)
        if reached == state:
            return case
    raise AssertionError(state)


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 18.0), 3: "E", 4: (116.0, 9.0, 18.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()
