"""Territory fixtures: the real Shijingshan outline, and the demo territory built once per module."""

import json

import pytest
from django.db import transaction

from civicgrid.territory import geometry as geo
from civicgrid.territory import locate
from civicgrid.territory.demo import OUTLINE_GEOJSON


@pytest.fixture(scope="session")
def outline():
    data = json.loads(OUTLINE_GEOJSON.read_text(encoding="utf-8"))
    return geo.single_polygon(geo.from_geojson(data["features"][0]))


@pytest.fixture(autouse=True)
def fresh_grid_index():
    """The point-in-grid index lives per process: start every test without one."""
    locate.invalidate()
    yield
    locate.invalidate()


@pytest.fixture(scope="module")
def demo_territory(django_db_setup, django_db_blocker):
    """The demo territory, built once for a module inside a transaction rolled back at its end."""
    from civicgrid.territory.demo import build_demo_territory

    with django_db_blocker.unblock(), transaction.atomic():
        summary = build_demo_territory(seed=7)
        yield summary
        transaction.set_rollback(True)
