"""The demo seed on the small fixture tree with generated residents: everything through the services,
and the books balance afterwards."""

import pytest

from civicgrid.accounts.models import Role
from civicgrid.people import demo as people_demo
from civicgrid.territory.models import Place, PlaceKind
from civicgrid.volunteering.demo import seed_demo_volunteering
from civicgrid.volunteering.models import Account, ServiceRecord, Shop, Volunteer
from civicgrid.volunteering.reconcile import reconcile
from tests.conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_seed_builds_a_balanced_demo(users, regions):
    for key in ("grid_a", "grid_b"):
        Place(name=f"小区{key}", kind=PlaceKind.COMMODITY_HOUSING, grid=regions[key], lon=116.2, lat=39.9,
              population=1000).save()
    people_demo.generate_residents(count=400, seed=3)
    for i in (1, 2, 3):
        make_user(f"shop-{i:02d}", Role.PARTNER_SHOP, "110107")
    make_user("org-01", Role.SOCIAL_ORG, "110107")
    for i in range(2, 21):  # resident-1 comes with the `users` fixture
        make_user(f"resident-{i}", Role.RESIDENT)
    summary = seed_demo_volunteering(seed=5)
    assert summary["volunteers"] == Volunteer.objects.count() > 50
    assert summary["shops"] == Shop.objects.count() == 3 and summary["offers"] == 9
    assert ServiceRecord.objects.filter(status="confirmed").exists()
    assert Account.objects.filter(kind="volunteer", balance__gt=0).exists()
    assert Volunteer.objects.filter(resident__isnull=False).count() == summary["volunteers"]
    assert reconcile().ok
    # some residents are not volunteers yet, so "成为志愿者" can be tried; hours only for verified volunteers
    volunteers = set(Volunteer.objects.filter(user__username__startswith="resident-").values_list(
        "user__username", flat=True))
    assert volunteers == {f"resident-{i}" for i in range(1, 16)}
    assert not ServiceRecord.objects.filter(status="confirmed", volunteer__verified_at__isnull=True).exists()
