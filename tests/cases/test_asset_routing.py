"""A case may name a street asset; dispatch then goes to the asset's owner unit before any category rule.
The asset comes from the report page, Open311 (`attribute[asset]`) and the hotline import (`asset_code`)."""

import pytest

from civicgrid.assets.models import Asset
from civicgrid.cases import routing, services
from civicgrid.cases.models import Case, Channel, HandlingUnit, Open311Client, RoutingRule
from civicgrid.cases.services import issue_open311_key
from civicgrid.cases.services.hotline import import_hotline
from civicgrid.core.errors import ValidationFailed
from civicgrid.core.models import AuditEvent
from tests.cases.conftest import IN_A, report
from tests.conftest import GRID_A

pytestmark = pytest.mark.django_db
LAMP = "1101070118000001"


@pytest.fixture
def lighting(users):
    return HandlingUnit.objects.create(code="lighting", name="路灯管理所")


@pytest.fixture
def lamp(lighting):
    return Asset.objects.create(code=LAMP, kind="0118", lon=IN_A[0] + 0.0003, lat=IN_A[1], region_code=GRID_A,
                                owner_unit="lighting", owner_name="路灯管理所")


def test_the_assets_owner_unit_comes_before_the_category_rule(users, unit, garbage, lamp, lighting):
    RoutingRule.objects.create(category=garbage, region_prefix=GRID_A, unit=unit)
    assert routing.route(garbage, GRID_A) == unit
    assert routing.route(garbage, GRID_A, lamp) == lighting
    assert routing.route(None, GRID_A, lamp) == lighting


def test_an_asset_whose_owner_is_no_unit_falls_back_to_the_category(users, unit, garbage, lamp):
    lamp.owner_unit = "gone"
    assert routing.route(garbage, GRID_A, lamp) == HandlingUnit.objects.get(code="city")


def test_a_reported_case_naming_an_asset_is_dispatched_to_its_owner(users, unit, garbage, lamp, lighting):
    case = report(users, category=garbage, asset_code=LAMP)
    assert case.asset == lamp
    assert AuditEvent.objects.filter(action="cases.report").last().detail["asset"] == LAMP
    case = services.perform(actor=users["community_a"], case_id=case.pk, action="register")
    case = services.perform(actor=users["community_a"], case_id=case.pk, action="dispatch")
    assert case.unit == lighting


def test_an_asset_alone_places_the_case_and_an_unknown_code_is_refused(users, lamp):
    case = services.report_case(actor=users["resident"], channel=Channel.RESIDENT, description="路灯不亮了",
                                asset_code=LAMP)
    assert (case.lon, case.lat, case.region_code) == (lamp.lon, lamp.lat, GRID_A)
    with pytest.raises(ValidationFailed) as caught:
        report(users, asset_code="1101070118999999")
    assert caught.value.code == "unknown_asset" and caught.value.field == "asset"


def test_the_report_page_passes_the_chosen_asset(users, login, lamp):
    client = login(users["resident"])
    response = client.post("/cases/report/", {"description": "路灯不亮", "lon": IN_A[0], "lat": IN_A[1],
                                               "asset": LAMP})
    assert response.status_code == 302
    assert users["resident"].reported_cases.get().asset == lamp


def test_open311_attribute_asset_names_the_asset(users, lamp, client, garbage):
    api_key = issue_open311_key(actor=None, name="app")[1]
    response = client.post("/open311/v2/requests.json", {"api_key": api_key, "service_code": garbage.code,
                                                          "description": "路灯下有垃圾", "attribute[asset]": LAMP})
    assert response.status_code == 200, response.content
    assert Case.objects.get(open311_client=Open311Client.objects.get()).asset == lamp


def test_the_hotline_import_reads_the_asset_code_column(users, lamp):
    data = ("order_no,received_at,description,phone,lon,lat,address,category,urgent,asset_code\n"
            f"H1,2026-11-30 09:00,路灯不亮,13800138000,,,,,,{LAMP}\n").encode()
    assert import_hotline(actor=users["district"], name="h.csv", data=data)["created"] == 1
    data = data.replace(b"H1", b"H2").replace(LAMP.encode(), b"1101070118999999")
    report_ = import_hotline(actor=users["district"], name="h.csv", data=data)
    assert report_["errors"][0]["code"] == "unknown_asset" and report_["errors"][0]["row"] == 2
