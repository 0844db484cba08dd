"""The organizations demo: every kind, a hub with members, a finished cohort and one mid-way, linked logins."""

import pytest

from civicgrid.demo.accounts import create_demo_accounts
from civicgrid.organizations import selectors
from civicgrid.organizations.demo import seed_demo_organizations
from civicgrid.organizations.models import Cohort, Hub, Incubation, Kind, OrgAccount, Organization
from civicgrid.territory import demo as territory_demo
from civicgrid.territory.models import Region

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_organizations(monkeypatch):
    monkeypatch.setenv("CIVICGRID_DEMO_PASSWORD", "Demo-password-2026")
    territory_demo.build_demo_territory(seed=1, scale="default")
    create_demo_accounts(Region.objects.get(code="110107"))
    summary = seed_demo_organizations(seed=1)
    assert set(Organization.objects.values_list("kind", flat=True)) == set(Kind.values)
    assert summary["social_organizations"] == Organization.objects.count() >= 20
    hub = Hub.objects.get(designated=True)
    assert hub.memberships.count() >= 3 and hub.activities.count() == 3
    running = Cohort.objects.get(status="running")
    assert running.incubations.filter(status="incubating").count() >= 3
    assert Incubation.objects.filter(status="graduated").count() == 2
    assert selectors.graduation_rate(Incubation.objects.all()) == pytest.approx(2 / 3)
    assert OrgAccount.objects.filter(user__username__in=["org-01", "org-02", "org-03", "org-04"]).count() == 4
    board = selectors.board(actor=OrgAccount.objects.get(user__username="org-01").user)
    assert board["cohorts"] == [] or board["total"]["current"] == 0  # an organization sees no centre board
