"""Chambers of commerce on pages: founded with a building and an entry of the organizations registry chosen within
the actor's jurisdiction, members added (tenants only) and removed, buildings linked and unlinked, the party
organization set, activities logged; each write audited, refusals in Chinese, 404 across communities."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.core.models import AuditEvent
from civicgrid.organizations.models import Organization
from civicgrid.partybuilding import services
from civicgrid.partybuilding.models import Chamber
from civicgrid.territory.models import Place, PlaceKind
from tests.conftest import COMM_A, COMM_B
from tests.organizations.conftest import register
from tests.partybuilding.conftest import IN_A, enterprise

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def registry_entry(actor, region_code: str, name: str) -> Organization:
    """An organization the community filed (备案) in the organizations registry, through its service."""
    return register(actor, region_code=region_code, registration="filed", name=name, kind="social_group")


@pytest.fixture
def chamber(users, building):
    return services.create_chamber(actor=users["community_a"], name="鲁谷楼宇商会", building_ids=[building.pk])


def _post(client, url, data, back):
    return client.post(url, {**data, "next": back}, follow=True, **ZH).content.decode()


def test_chamber_pages_keep_members_buildings_links_and_activities(login, users, building, regions, chamber):
    staff = login(users["community_a"])
    url = f"/partybuilding/chambers/{chamber.pk}/"
    tenant = enterprise(users["community_a"], building=building, name="星光科技")
    other = Place.objects.create(name="京西大厦", kind=PlaceKind.OFFICE_BUILDING, grid=regions["grid_a"],
                                 lon=IN_A[0], lat=IN_A[1])
    second = services.register_building(actor=users["community_a"], place_id=other.pk, floors=9)
    entry = registry_entry(users["community_a"], COMM_A, "鲁谷楼宇商会（社会团体）")
    party = services.create_organization(actor=users["community_a"], name="商会党支部", kind="community",
                                         region_code=COMM_A)
    assert "鲁谷楼宇商会" in staff.get("/partybuilding/chambers/", **ZH).content.decode()
    page = _post(staff, f"{url}members/", {"enterprise_id": tenant.pk}, url)
    assert "星光科技" in page and f'remove-member-{tenant.pk}' in page
    _post(staff, f"{url}buildings/", {"building_id": second.pk}, url)
    page = _post(staff, f"{url}links/", {"organization_id": party.pk, "registry_entry_id": entry.pk}, url)
    assert "商会党支部" in page and "鲁谷楼宇商会（社会团体）" in page
    page = _post(staff, f"{url}activities/", {"title": "政企座谈会", "held_on": str(date.today())}, url)
    assert "政企座谈会" in page
    page = _post(staff, f"{url}buildings/remove/", {"building_id": building.pk}, url)
    assert "请先移出该楼宇的会员企业" in page
    _post(staff, f"{url}members/remove/", {"enterprise_id": tenant.pk}, url)
    _post(staff, f"{url}buildings/remove/", {"building_id": building.pk}, url)
    chamber.refresh_from_db()
    assert list(chamber.buildings.all()) == [second] and not chamber.enterprises.exists()
    assert (chamber.organization, chamber.registry_entry) == (party, entry)
    actions = set(AuditEvent.objects.filter(target_id=str(chamber.pk), action__startswith="partybuilding.chamber")
                  .values_list("action", flat=True))
    assert {"partybuilding.chamber.member_add", "partybuilding.chamber.member_remove", "partybuilding.chamber.link",
            "partybuilding.chamber.building_link", "partybuilding.chamber.building_unlink",
            "partybuilding.chamber.activity"} <= actions


def test_founding_a_chamber_on_the_page_with_its_registry_entry(login, users, building):
    entry = registry_entry(users["community_a"], COMM_A, "楼宇商会社团")
    page = login(users["community_a"]).post("/partybuilding/chambers/", {
        "name": "新楼宇商会", "building_ids": [building.pk], "registry_entry_id": entry.pk}, follow=True, **ZH)
    made = Chamber.objects.get(name="新楼宇商会")
    assert made.registry_entry == entry and "楼宇商会社团" in page.content.decode()


def test_only_tenants_join_and_the_registry_entry_is_chosen_within_jurisdiction(users, building, chamber):
    outsider = enterprise(users["community_a"])
    with pytest.raises(ValidationFailed) as error:
        services.add_chamber_member(actor=users["community_a"], chamber_id=chamber.pk, enterprise_id=outsider.pk)
    assert error.value.code == "not_a_tenant"
    tenant = enterprise(users["community_a"], building=building)
    services.add_chamber_member(actor=users["community_a"], chamber_id=chamber.pk, enterprise_id=tenant.pk)
    with pytest.raises(ValidationFailed) as error:
        services.add_chamber_member(actor=users["community_a"], chamber_id=chamber.pk, enterprise_id=tenant.pk)
    assert error.value.code == "already_member"
    with pytest.raises(ValidationFailed) as error:
        services.unlink_chamber_building(actor=users["community_a"], chamber_id=chamber.pk, building_id=building.pk)
    assert error.value.code in ("building_required", "building_has_members")
    elsewhere = registry_entry(users["community_b"], COMM_B, "乙社区商会")
    with pytest.raises(NotFound):
        services.link_chamber(actor=users["community_a"], chamber_id=chamber.pk, registry_entry_id=elsewhere.pk)
    with pytest.raises(ValidationFailed) as error:
        services.add_chamber_activity(actor=users["community_a"], chamber_id=chamber.pk, title="未来活动",
                                      held_on=date.today() + timedelta(days=3))
    assert error.value.code == "invalid_date"


def test_chamber_pages_answer_404_across_communities_and_export_is_audited(login, users, chamber):
    other = login(users["community_b"])
    assert other.get(f"/partybuilding/chambers/{chamber.pk}/").status_code == 404
    assert other.post(f"/partybuilding/chambers/{chamber.pk}/activities/",
                      {"title": "越界", "held_on": str(date.today())}).status_code == 404
    assert "鲁谷楼宇商会" not in other.get("/partybuilding/chambers/", **ZH).content.decode()
    response = login(users["community_a"]).get("/partybuilding/chambers.xlsx", **ZH)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "鲁谷楼宇商会" and rows[1][2] == "鲁谷商务楼"
    assert AuditEvent.objects.filter(action="partybuilding.chambers.export").count() == 1
