"""Two offices designate a hub for the same field and subdistrict at the same moment: exactly one wins, on
SQLite and on PostgreSQL (row lock on the subdistrict, backed by the partial unique index)."""

from datetime import date

import pytest

from civicgrid.organizations import services
from civicgrid.organizations.models import Hub
from tests.concurrency import in_threads, outcome
from tests.conftest import SUB_A, make_regions, make_users
from tests.organizations.conftest import register

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
WORKERS = 8


def _designate(user_id: int, org_id: int, field: str) -> str:
    from civicgrid.accounts.models import User

    return outcome(services.designate_hub, actor=User.objects.get(pk=user_id), organization_id=org_id,
                   subdistrict_code=SUB_A, field=field, designated_on=date(2025, 3, 1))


def test_concurrent_designations_leave_one_hub_per_field():
    make_regions()
    users = make_users()
    orgs = [register(users["district"], name=f"枢纽候选{i}") for i in range(WORKERS)]
    calls = [(users["district"].pk if i % 2 else users["sub_a"].pk, org.pk, "elderly") for i, org in enumerate(orgs)]
    calls += [(users["sub_a"].pk, orgs[0].pk, "disability"), (users["district"].pk, orgs[1].pk, "disability")]
    results = in_threads(_designate, calls, together=True)
    assert results.count("ok") == 2, results
    assert set(results) == {"ok", "hub_already_designated"}
    assert Hub.objects.filter(region_code=SUB_A, field="elderly", designated=True).count() == 1
    assert Hub.objects.filter(region_code=SUB_A, field="disability", designated=True).count() == 1
