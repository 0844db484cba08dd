"""The module's figures on the platform: home card, region figures and cockpit KPIs (registered and computed)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from civicgrid.core import registry
from civicgrid.organizations import services, stats
from civicgrid.territory.models import Region
from tests.conftest import SUB_A, SUB_B
from tests.organizations.conftest import register

pytestmark = pytest.mark.django_db


def _rate(users, org, grade, expires=date(2030, 1, 1)):
    services.set_rating(actor=users["district"], organization_id=org.pk, rating=grade, rated_on=date(2024, 1, 1),
                        expires_on=expires)


def test_registered_with_the_platform():
    keys = {kpi.key for kpi in registry.cockpit_kpis()}
    assert {"organizations_active", "organizations_3a", "incubation_graduation"} <= keys
    assert {"organizations_active", "organizations_3a"} <= {f.key for f in registry.region_figures()}


def test_region_figures_and_kpis(users, sub_org, sub_b_org, filed_org):
    _rate(users, sub_org, 4)
    _rate(users, sub_b_org, 2)
    regions = list(Region.objects.filter(code__in=[SUB_A, SUB_B]).order_by("code"))
    assert stats.active_by_region(users["district"], regions) == {SUB_A: 2, SUB_B: 1}
    assert stats.share_3a_by_region(users["district"], regions) == {SUB_A: 0.5, SUB_B: 0.0}
    assert stats.active_by_region(users["sub_a"], regions) == {SUB_A: 2, SUB_B: 0}  # in the actor's sight only
    today = timezone.localdate()
    start, end = today.replace(day=1), today + timedelta(days=1)
    assert stats.kpi_active(users["district"], regions, start, end) == {SUB_A: 2, SUB_B: 1}
    assert stats.kpi_share_3a(users["district"], regions, start, end)[SUB_A] == 0.5
    assert stats.kpi_graduation_rate(users["district"], regions, start, end) == {SUB_A: None, SUB_B: None}


def test_a_grade_expired_at_the_period_end_does_not_count(users, sub_org):
    _rate(users, sub_org, 5, expires=date(2025, 6, 30))
    regions = [Region.objects.get(code=SUB_A)]
    assert stats.kpi_share_3a(users["district"], regions, date(2025, 6, 1), date(2025, 7, 1)) == {SUB_A: 1.0}
    assert stats.kpi_share_3a(users["district"], regions, date(2025, 7, 1), date(2025, 8, 1)) == {SUB_A: 0.0}


def test_service_organizations_count_where_they_serve(users):
    register(users["district"], service_area=[SUB_B])
    regions = list(Region.objects.filter(code__in=[SUB_A, SUB_B]).order_by("code"))
    assert stats.active_by_region(users["district"], regions) == {SUB_A: 0, SUB_B: 1}


def test_home_card_figures(users, org, incubation):
    figures = {f.testid: f.value for f in stats.home_figures(users["district"])}
    assert figures["figure-orgs-active"] == "1" and figures["figure-orgs-3a"] == "0.0%"
    assert figures["figure-orgs-incubating"] == "1" and figures["figure-orgs-graduation"] == "—"
    assert stats.home_figures(users["resident"]) == []
