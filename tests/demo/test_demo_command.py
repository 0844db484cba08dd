"""`make run`'s data path: `civicgrid demo --if-empty` then `civicgrid demo_logins`, on the real database."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from civicgrid.accounts.models import User
from civicgrid.assets.models import Asset
from civicgrid.cases.models import Case, HandlingUnit
from civicgrid.consultation.models import Topic
from civicgrid.people.models import Resident
from civicgrid.procurement.models import Purchase
from civicgrid.territory.models import Level, Region, Street
from civicgrid.volunteering.models import Volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_demo_loads_every_module_once_and_prints_working_logins(monkeypatch):
    monkeypatch.setenv("CIVICGRID_DEMO_PASSWORD", "Demo-password-2026")
    output = run("demo", residents=300, if_empty=True)
    assert "demo loaded" in output
    assert Region.objects.filter(level=Level.SUBDISTRICT).count() == 9
    assert Region.objects.filter(level=Level.COMMUNITY).count() == 153
    assert Resident.objects.count() == 300
    assert Case.objects.exists() and Volunteer.objects.exists() and Topic.objects.exists()
    stages = set(Purchase.objects.values_list("stage", flat=True))
    assert stages >= {"draft", "call", "review", "awarded", "contracted", "evaluated", "paid"}
    from_gap = Purchase.objects.get(need_kind="gap")
    assert from_gap.stage == "paid" and from_gap.need_before["population"] > 0
    from civicgrid.partybuilding.models import PartyOrganization

    linked = PartyOrganization.objects.filter(kind="social_org", social_organization__isnull=False)
    assert linked.count() == 3  # the registry's larger social organizations have their own party branches
    assert Street.objects.filter(generated=True).values("name").distinct().count() >= 10  # named demo streets
    owners = set(Asset.objects.values_list("owner_unit", flat=True))
    assert Asset.objects.count() > 1000 and owners <= set(HandlingUnit.objects.values_list("code", flat=True))
    district = User.objects.get(username="district-110107")
    assert district.region_code == "110107"
    client = Client()
    client.force_login(district)
    communities = client.get("/api/v1/regions", {"level": "community", "limit": 500}).json()
    assert communities["count"] == 153 and len(communities["items"]) == 153
    assert all(len(c["code"]) == 12 and c["code"].startswith("110107") for c in communities["items"])
    assert {c["code"] for c in communities["items"]} >= {"110107001003", "110107002001"}  # real codes
    grids = client.get("/api/v1/regions", {"level": "grid", "parent": "110107001003", "limit": 50}).json()
    assert 4 <= grids["count"] <= 8
    assert all(len(g["code"]) == 15 and g["code"].startswith("110107001003") for g in grids["items"])
    assert User.objects.get(username="grid-110107001003001").check_password("Demo-password-2026")

    from civicgrid.cockpit.models import MonthlyReport, Target

    assert Target.objects.filter(region_code="110107", set_by=district).exists()
    assert MonthlyReport.objects.filter(region_code="110107").count() == 1  # last month's district report
    assert MonthlyReport.objects.count() == 10  # and one per subdistrict
    assert client.get("/cockpit/").status_code == 200

    logins = run("demo_logins", port=8123)
    assert "http://127.0.0.1:8123/accounts/login/" in logins
    assert "district-110107" in logins and "Demo-password-2026" in logins

    assert "already loaded" in run("demo", if_empty=True)
    assert Resident.objects.count() == 300
    with pytest.raises(CommandError):
        run("demo")
