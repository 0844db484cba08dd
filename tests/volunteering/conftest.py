"""Volunteering fixtures: volunteers with valid ID numbers, a community team, a shift, a shop with an offer."""

import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone

from civicgrid.accounts.models import Role
from civicgrid.core.personal import id_check_digit
from civicgrid.volunteering import ledger, services
from civicgrid.volunteering.models import Account, Shift, Transfer
from tests.conftest import COMM_A, make_user

_seq = itertools.count(100)


def make_id(seq: int, birth=date(1985, 3, 9)) -> str:
    first17 = f"110107{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + id_check_digit(first17)


def new_volunteer(username=None, *, region_code=COMM_A, skills=("visit",), verified_by=None, **extra):
    seq = next(_seq)
    user = make_user(username or f"vol-{seq}", Role.RESIDENT)
    volunteer = services.register_volunteer(
        actor=user, name=extra.pop("name", f"志愿者{seq}"), id_number=make_id(seq), phone=f"138{seq:08d}",
        region_code=region_code, consent=True, skills=list(skills), available_weekdays=list(range(7)), **extra)
    if verified_by is not None:
        services.verify_volunteer(actor=verified_by, volunteer_id=volunteer.pk)
        volunteer.refresh_from_db()
    return volunteer


def end_shift(shift, *, ago=timedelta(minutes=5)):
    """Move a shift into the past after volunteers signed up, as if it had been served (hours are confirmed
    only once a shift has ended)."""
    now = timezone.now()
    Shift.objects.filter(pk=shift.pk).update(starts_at=now - ago - (shift.ends_at - shift.starts_at), ends_at=now - ago)
    shift.refresh_from_db()
    return shift


def credit(volunteer, amount, key=None):
    """Credit points straight from the issuance account (tests only; services earn through records)."""
    from django.db import transaction

    with transaction.atomic():
        return ledger.post(key=key or f"test-credit:{next(_seq)}", kind=Transfer.Kind.EARN,
                           source=ledger.system_account(Account.Kind.ISSUANCE),
                           target=Account.objects.get(volunteer=volunteer), amount=amount)


def balance(volunteer) -> int:
    return Account.objects.get(volunteer=volunteer).balance


@pytest.fixture
def volunteer(users):
    return new_volunteer("vol-main", verified_by=users["community_a"])


@pytest.fixture
def team(users):
    return services.create_team(actor=users["community_a"], name="阳光志愿队", region_code=COMM_A)


@pytest.fixture
def shift(users, team):
    activity = services.create_activity(actor=users["community_a"], team_id=team.pk, title="探访空巢老人",
                                        place_name="社区服务站", target_groups=["empty_nest"])
    now = timezone.now()
    return services.add_shift(actor=users["community_a"], activity_id=activity.pk,
                              starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(hours=2), capacity=2)


@pytest.fixture
def shop_user(regions):
    return make_user("shop-01", Role.PARTNER_SHOP, "110107")


@pytest.fixture
def shop(users, shop_user):
    return services.register_shop(actor=users["community_a"], username=shop_user.username, name="便民超市",
                                  region_code=COMM_A)


@pytest.fixture
def offer(shop, shop_user):
    today = timezone.localdate()
    return services.create_offer(actor=shop_user, title="洗衣液一瓶", points=30, stock=3,
                                 valid_from=today - timedelta(days=1), valid_until=today + timedelta(days=30))


@pytest.fixture
def places(regions):
    from civicgrid.territory.models import Place, PlaceKind

    def place(name, grid, lon):
        p = Place(name=name, kind=PlaceKind.COMMODITY_HOUSING, grid=grid, lon=lon, lat=39.905, population=100)
        p.save()
        return p

    return {"a": place("阳光小区", regions["grid_a"], 116.155), "b": place("和平里小区", regions["grid_b"], 116.205)}


@pytest.fixture
def register_elder(users, places):
    from civicgrid.people import services as people

    return people.register_resident(actor=users["district"], place=places["a"], unit_label="2号楼101室",
                                    name="王奶奶", id_number=make_id(900, date(1940, 1, 2)), phone="13900000001",
                                    groups=["empty_nest"])
