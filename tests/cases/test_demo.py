import pytest

from civicgrid.cases.demo import seed_demo_cases
from civicgrid.cases.models import Case, DailyStat, HandlingUnit, State
from civicgrid.territory.models import Level, Region
from tests.cases.conftest import IN_A, IN_B

pytestmark = pytest.mark.django_db


def test_demo_cases_cover_every_state_and_are_idempotent(users, unit):
    for code, (lon, lat) in zip(("110107001003001", "110107002001001"), (IN_A, IN_B), strict=True):
        Region.objects.filter(code=code, level=Level.GRID).update(center_lon=lon, center_lat=lat)
    result = seed_demo_cases(count=300, seed=1)
    assert result["cases"] == 300
    assert set(Case.objects.values_list("state", flat=True)) == set(State.values)
    assert not Case.objects.filter(state__in=["dispatched", "handling", "replied"], unit__isnull=True).exists()
    assert HandlingUnit.objects.get(code="city").members.filter(username="unit-01").exists()
    assert DailyStat.objects.exists()
    assert seed_demo_cases(count=300)["cases"] == 0
