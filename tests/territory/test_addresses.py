"""Address search: streets (from the street registry), compounds and buildings (places), house numbers
(`鲁谷路74号` → the street, approximate); exact > prefix > contains; the report resolves an address with it."""

import pytest

from civicgrid.cases.models import Channel
from civicgrid.cases.services import report_case
from civicgrid.core.models import AuditEvent
from civicgrid.territory import addresses, services
from civicgrid.territory.models import Place, PlaceKind, Street
from tests.conftest import DISTRICT, GRID_A, GRID_B

pytestmark = pytest.mark.django_db


@pytest.fixture
def streets(regions):
    services.replace_streets(actor=None, district_code=DISTRICT, generated=True, source="test", streets=[
        ("鲁谷路", [(116.151, 39.905), (116.159, 39.905)]),
        ("鲁谷路", [(116.201, 39.905), (116.209, 39.905)]),  # the same road in another piece
        ("鲁谷东街", [(116.155, 39.901), (116.155, 39.909)]),
        ("新鲁谷路辅路", [(116.201, 39.901), (116.201, 39.909)]),
    ])
    Place.objects.create(name="鲁谷路小区", kind=PlaceKind.COMMODITY_HOUSING, grid=regions["grid_b"], lon=116.205,
                         lat=39.905, address="鲁谷路12号")
    Place.objects.create(name="金顶街三区", kind=PlaceKind.OLD_COMPOUND, grid=regions["grid_a"], lon=116.152,
                         lat=39.902, address="")
    return Street.objects.all()


def names(hits):
    return [(h.kind, h.name, h.rank) for h in hits]


def test_exact_then_prefix_then_contains_streets_before_places(streets):
    assert names(addresses.search("鲁谷路")) == [("street", "鲁谷路", 0), ("place", "鲁谷路小区", 1),
                                                 ("street", "新鲁谷路辅路", 2)]
    assert names(addresses.search("鲁谷")) == [("street", "鲁谷路", 1), ("street", "鲁谷东街", 1),
                                               ("place", "鲁谷路小区", 1), ("street", "新鲁谷路辅路", 2)]


def test_a_street_is_one_suggestion_at_the_midpoint_of_its_first_piece(streets):
    [hit] = [h for h in addresses.search("鲁谷路") if h.name == "鲁谷路"]
    assert (hit.lon, hit.lat, hit.approximate) == (pytest.approx(116.155), pytest.approx(39.905), False)


def test_a_house_number_resolves_to_its_street_and_says_approximate(streets):
    first = addresses.search("鲁谷路74号")[0]
    assert (first.kind, first.name, first.label, first.approximate) == ("street", "鲁谷路", "鲁谷路74号", True)
    assert addresses.search("鲁谷路７４号院3号楼")[0].approximate  # full-width digits, a yard and a building
    assert addresses.search("无名路5号") == []
    precise, approximate = addresses.search("鲁谷路12号")[:2]  # a compound records exactly this address
    assert (precise.name, precise.approximate, approximate.name, approximate.approximate) == \
        ("鲁谷路小区", False, "鲁谷路", True)


def test_compounds_are_found_by_part_of_their_name_or_address(streets):
    assert names(addresses.search("三区")) == [("place", "金顶街三区", 2)]
    assert ("place", "鲁谷路小区", 2) in names(addresses.search("12号"))


def test_empty_or_unknown_text_finds_nothing_and_the_limit_holds(streets):
    assert addresses.search("  ") == [] and addresses.search("天安门") == []
    assert len(addresses.search("鲁", limit=2)) == 2


def test_replacing_streets_is_audited_and_refuses_a_bad_line(streets):
    assert AuditEvent.objects.filter(action="territory.streets.replace").count() == 1
    from civicgrid.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.replace_streets(actor=None, district_code=DISTRICT, generated=True, source="x",
                                 streets=[("", [(116.1, 39.9), (116.2, 39.9)])])
    assert Street.objects.count() == 4


def test_a_report_with_a_house_number_and_no_pin_stands_on_the_street(users, streets):
    case = report_case(actor=users["resident"], channel=Channel.RESIDENT, description="井盖坏了",
                       address="鲁谷路74号")
    assert (case.region_code, case.address) == (GRID_A, "鲁谷路74号")
    case = report_case(actor=users["resident"], channel=Channel.RESIDENT, description="井盖坏了", address="鲁谷路小区")
    assert case.region_code == GRID_B


def test_the_api_answers_suggestions_to_a_signed_in_user(users, streets, login):
    answer = login(users["resident"]).get("/api/v1/addresses", {"q": "鲁谷路74号"}).json()
    assert answer[0] | {"lon": 0, "lat": 0} == {"kind": "street", "name": "鲁谷路", "label": "鲁谷路74号",
                                                "lon": 0, "lat": 0, "approximate": True, "rank": 0, "place_kind": ""}
    from django.test import Client

    assert Client().get("/api/v1/addresses", {"q": "鲁谷"}).status_code == 401
