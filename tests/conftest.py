"""Shared fixtures: a small real region tree and one user per role. Each test runs in a transaction."""

import pytest
from django.test import Client

from civicgrid.accounts.models import Role, User
from civicgrid.territory.models import Level, Region

PASSWORD = "Test-password-2026"

DISTRICT = "110107"
SUB_A, SUB_B = "110107001", "110107002"
COMM_A, COMM_B = "110107001003", "110107002001"
GRID_A, GRID_B = "110107001003001", "110107002001001"


def _square(lon, lat, size=0.01):
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size],
                                                [lon, lat + size], [lon, lat]]]}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached lookups must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def regions(db):
    return make_regions()


def make_regions() -> dict:
    """district → 2 subdistricts → 1 community each → 1 grid each, with square boundaries."""
    district = Region.objects.create(code=DISTRICT, name="石景山区", level=Level.DISTRICT,
                                     boundary=_square(116.10, 39.88, 0.2))
    made = {"district": district}
    for key, sub, comm, grid, lon in (("a", SUB_A, COMM_A, GRID_A, 116.15), ("b", SUB_B, COMM_B, GRID_B, 116.20)):
        s = Region.objects.create(code=sub, name=f"街道{key}", level=Level.SUBDISTRICT, parent=district,
                                  boundary=_square(lon, 39.90, 0.04))
        c = Region.objects.create(code=comm, name=f"社区{key}", level=Level.COMMUNITY, parent=s,
                                  boundary=_square(lon, 39.90, 0.02))
        g = Region.objects.create(code=grid, name=f"网格{key}", level=Level.GRID, parent=c,
                                  boundary=_square(lon, 39.90, 0.01))
        made.update({f"sub_{key}": s, f"community_{key}": c, f"grid_{key}": g})
    return made


def make_user(username, role, region_code="", **extra):
    user = User(username=username, role=role, region_code=region_code, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def users(regions):
    return make_users()


def make_users() -> dict:
    return {
        "district": make_user("district-110107", Role.DISTRICT, DISTRICT),
        "sub_a": make_user(f"subdistrict-{SUB_A}", Role.SUBDISTRICT, SUB_A),
        "community_a": make_user(f"community-{COMM_A}", Role.COMMUNITY, COMM_A),
        "community_b": make_user(f"community-{COMM_B}", Role.COMMUNITY, COMM_B),
        "grid_a": make_user(f"grid-{GRID_A}", Role.GRID, GRID_A),
        "resident": make_user("resident-1", Role.RESIDENT),
    }


@pytest.fixture
def login(db):
    """login(user) -> a Django test client signed in as that user."""

    def _login(user):
        client = Client()
        client.force_login(user)
        return client

    return _login
