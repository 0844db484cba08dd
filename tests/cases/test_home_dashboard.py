"""The home page of a manager is a small dashboard: each module's card brings its figures (computed by the
module's selectors for the signed-in user's area) with links; residents see plain cards."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.cases.models import Case
from civicgrid.servicecircle.models import AnalysisRun, CommunityResult, Status
from civicgrid.volunteering import services as volunteering
from tests.cases.conftest import IN_B, report, to_state
from tests.conftest import COMM_A, COMM_B, DISTRICT
from tests.volunteering.conftest import new_volunteer

pytestmark = pytest.mark.django_db


def _figure(page: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"><strong>([^<]*)</strong>', page)
    assert found, testid
    return found.group(1)


def _service_hours(users, minutes: int) -> str:
    """Record `minutes` of service that ended a few minutes ago; the figure the home page should show."""
    team = volunteering.create_team(actor=users["community_a"], name="阳光志愿队", region_code=COMM_A)
    volunteer = new_volunteer("vol-dash", verified_by=users["community_a"])
    volunteering.join_team(actor=volunteer.user, team_id=team.pk)
    start = timezone.now() - timedelta(minutes=minutes + 5)
    record = volunteering.create_record(actor=users["community_a"], team_id=team.pk, volunteer_id=volunteer.pk,
                                        started_at=start, ended_at=start + timedelta(minutes=minutes), content="助老")
    volunteering.confirm_record(actor=users["community_a"], record_id=record.pk)
    this_month = timezone.localdate(start).replace(day=1) == timezone.localdate().replace(day=1)
    return f"{minutes / 60 if this_month else 0:.1f} 小时"  # just after midnight on the 1st it was last month


def _coverage_run():
    run = AnalysisRun.objects.create(region_code=DISTRICT, status=Status.DONE, finished_at=timezone.now(),
                                     categories=["clinic", "market"], walk_speed_m_s=1.2, snap_limit_m=300)
    CommunityResult.objects.create(run=run, community_code=COMM_A, population=1000,
                                   covered={"clinic": 1000, "market": 594}, uncovered={"clinic": 0, "market": 406})
    CommunityResult.objects.create(run=run, community_code=COMM_B, population=1000,
                                   covered={"clinic": 0, "market": 0}, uncovered={"clinic": 1000, "market": 1000})


def test_district_home_shows_the_figures_of_every_module(users, unit, garbage, login):
    to_state(users, report(users, category=garbage), "closed")
    late = to_state(users, report(users, category=garbage), "dispatched")
    Case.objects.filter(pk=late.pk).update(overdue=True, deadline=timezone.now() - timedelta(hours=1))
    report(users, where=IN_B)
    hours = _service_hours(users, 90)
    _coverage_run()
    page = login(users["district"]).get("/").content.decode()
    assert 'data-testid="dashboard"' in page
    assert _figure(page, "figure-new") == "3" and _figure(page, "figure-overdue") == "1"
    assert _figure(page, "figure-closed") == "1"
    assert _figure(page, "figure-response") == "50.0%"  # two dispatched this month, one accepted in time
    assert _figure(page, "figure-satisfaction") == "—"  # nothing rated yet
    assert _figure(page, "figure-volunteer-hours") == hours
    assert _figure(page, "figure-coverage") == "39.9%"  # (1000 + 594) / (2000 × 2)
    assert 'href="/cases/desk/?overdue=1" data-testid="figure-overdue"' in page
    assert 'class="figure figure-warn"' in page
    behind = login(users["district"]).get("/cases/desk/?overdue=1").content.decode()  # the link shows the case
    assert f"desk-row-{late.pk}" in behind


def test_community_home_counts_only_its_area(users, unit, garbage, login):
    report(users)
    report(users, where=IN_B)
    _coverage_run()
    page = login(users["community_a"]).get("/").content.decode()
    assert _figure(page, "figure-new") == "1"
    assert _figure(page, "figure-coverage") == "79.7%"  # community A alone: 1594 / 2000


def test_resident_home_has_no_dashboard(users, login):
    page = login(users["resident"]).get("/").content.decode()
    assert 'data-testid="dashboard"' not in page and 'class="cards"' in page
