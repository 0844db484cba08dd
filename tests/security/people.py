"""The shared test region tree and role users, made outside a fixture (the route test builds them once)."""

from tests.conftest import make_regions, make_users


def regions_and_users():
    regions = make_regions()
    return regions, make_users()
