"""The "两个覆盖" figures on hand-made rows, then read through the selectors from registered records."""

import pytest

from civicgrid.partybuilding import coverage, selectors, services
from civicgrid.partybuilding.coverage import BuildingRow, EnterpriseRow
from civicgrid.territory.models import Place, PlaceKind, Region
from tests.conftest import COMM_A, SUB_A, SUB_B
from tests.partybuilding.conftest import enterprise


def _e(pk, employees, own=False, joint=False, shop=False, code="110107001003001"):
    return EnterpriseRow(pk, f"e{pk}", code, employees, own, joint, shop)


def test_shares_split_at_the_threshold():
    rows = [_e(1, 200, own=True), _e(2, 80), _e(3, 60, joint=True),  # above 50: own 1 of 3
            _e(4, 10, joint=True), _e(5, 5, shop=True), _e(6, 3), _e(7, 20, own=True)]  # below: 2 of 4 covered
    buildings = [BuildingRow(1, "b1", "110107001003001", True), BuildingRow(2, "b2", "110107001003001", False),
                 BuildingRow(3, "b3", "110107001003001", False)]
    found = coverage.compute(["110107001"], rows, buildings, limit=50)["110107001"]
    assert (found.above, found.above_own, found.own_share) == (3, 1, 1 / 3)
    assert (found.below, found.below_joint, found.joint_share) == (4, 2, 0.5)
    assert found.shop_share == 0.25
    assert found.workstation_share == 1 / 3
    assert found.organization_share == 4 / 7  # 1, 3, 4, 7 covered (3 by a joint branch although above threshold)
    assert [r.pk for r in found.uncovered_above] == [2, 3]  # both should found their own
    assert [r.pk for r in found.uncovered_below] == [5, 6]
    assert [b.pk for b in found.buildings_without] == [2, 3]


def test_threshold_is_inclusive_and_rows_land_in_their_own_area():
    rows = [_e(1, 50, code="110107001003001"), _e(2, 49, code="110107002001001", joint=True)]
    found = coverage.compute(["110107001", "110107002"], rows, [], limit=50)
    assert (found["110107001"].above, found["110107001"].below) == (1, 0)
    assert (found["110107002"].above, found["110107002"].below, found["110107002"].joint_share) == (0, 1, 1.0)


def test_an_empty_area_has_no_share_rather_than_zero():
    found = coverage.compute(["110107001"], [], [], limit=50)["110107001"]
    assert found.own_share is None and found.workstation_share is None and found.organization_share is None


@pytest.mark.django_db
def test_selectors_read_registered_records_within_jurisdiction(users, building, regions, settings):
    settings.PARTYBUILDING_OWN_ORG_EMPLOYEES = 100
    staff = users["community_a"]
    big = enterprise(staff, employees=300, building=building)
    small_1, small_2 = enterprise(staff, employees=8), enterprise(staff, employees=12)
    enterprise(staff, employees=5)  # uncovered small one
    services.create_organization(actor=staff, name="大企业党支部", kind="enterprise", enterprise_id=big.pk)
    services.create_organization(actor=staff, name="联合党支部", kind="joint", region_code=COMM_A,
                                 covered_enterprise_ids=[small_1.pk, small_2.pk])
    Place.objects.create(name="空楼", kind=PlaceKind.OFFICE_BUILDING, grid=regions["grid_a"], lon=116.16, lat=39.9)
    areas = selectors.coverage_areas(actor=users["district"])
    assert [a.code for a in areas] == [SUB_A, SUB_B]
    found = selectors.coverage_for(actor=users["district"], regions=areas)
    assert found[SUB_A].own_share == 1.0 and found[SUB_A].joint_share == 2 / 3
    assert found[SUB_A].organization_share == 0.75
    assert found[SUB_A].buildings == 2 and found[SUB_A].workstation_share == 0.0  # the unregistered one counts
    assert sorted(b.name for b in found[SUB_A].buildings_without) == sorted(["鲁谷商务楼", "空楼"])
    assert found[SUB_B].enterprises == 0
    # the region figure the map shows; community B's worker sees nothing of community A
    assert selectors.organization_share_by_region(users["district"], areas)[SUB_A] == 0.75
    b_areas = selectors.coverage_areas(actor=users["community_b"])
    assert selectors.coverage_for(actor=users["community_b"], regions=b_areas)[b_areas[0].code].enterprises == 0
    assert selectors.organization_share_by_region(users["community_b"], [Region.objects.get(code=SUB_A)]) == \
        {SUB_A: None}
