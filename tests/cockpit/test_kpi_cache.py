"""The figures modules compute themselves are cached (a warm cockpit page asks no module again) and dropped as soon
as the module records an audited change."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civicgrid.cockpit import selectors
from civicgrid.cockpit.periods import Period
from civicgrid.territory.models import Level, Region
from civicgrid.volunteering.models import ServiceRecord, Team
from tests.conftest import COMM_A
from tests.volunteering.conftest import new_volunteer

pytestmark = pytest.mark.django_db


def _active(actor, regions, period):
    return selectors.figures(actor=actor, regions=regions, period=period, only=["active_volunteers"])[
        "active_volunteers"]


def _served(volunteer, team, day) -> None:
    """A confirmed record written straight to the table: no audited write tells the cockpit."""
    start = timezone.make_aware(datetime.combine(day, time(9)))
    ServiceRecord.objects.create(volunteer=volunteer, team=team, service_date=day, started_at=start,
                                 ended_at=start + timedelta(hours=2), content="探访", minutes=120,
                                 status=ServiceRecord.Status.CONFIRMED)


def test_a_warm_page_asks_no_module_again(users, tree):
    subdistricts = list(Region.objects.filter(level=Level.SUBDISTRICT).order_by("code"))
    period = Period.containing("year", timezone.localdate())
    with CaptureQueriesContext(connection) as cold:
        first = selectors.figures(actor=users["district"], regions=subdistricts, period=period)
    with CaptureQueriesContext(connection) as warm:
        again = selectors.figures(actor=users["district"], regions=subdistricts, period=period)
    with CaptureQueriesContext(connection) as rollups_only:
        selectors.figures(actor=users["district"], regions=subdistricts, period=period,
                          only=[k.key for k in selectors.kpis() if k.rollup])
    assert again == first
    assert len(warm) == len(rollups_only) < len(cold)


def test_an_audited_change_of_the_module_drops_its_cached_figure(users, tree):
    volunteer = new_volunteer("vol-cache")
    team = Team.objects.create(name="志愿队", kind="community", region_code=COMM_A)
    community = Region.objects.get(code=COMM_A)
    today = timezone.localdate()
    period = Period.containing("month", today)
    assert _active(users["district"], [community], period) == {COMM_A: 0}

    _served(volunteer, team, today)
    assert _active(users["district"], [community], period) == {COMM_A: 0}  # cached: nothing audited yet

    new_volunteer("vol-cache-2")  # an audited write of volunteering
    assert _active(users["district"], [community], period) == {COMM_A: 1}
