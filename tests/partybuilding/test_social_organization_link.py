"""A social organization's party organization names its entry in the organizations registry; the registry page
shows it (through core.registry's record links: organizations does not import party building)."""

import pytest

from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.core.models import AuditEvent
from civicgrid.partybuilding import services
from tests.conftest import COMM_A, COMM_B
from tests.partybuilding.test_chambers import registry_entry

pytestmark = pytest.mark.django_db


def test_a_social_organizations_party_branch_links_its_registry_entry(login, users, regions):
    entry = registry_entry(users["community_a"], COMM_A, "阳光社工服务社")
    page = login(users["community_a"]).get("/partybuilding/organizations/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "阳光社工服务社" in page.content.decode()  # offered while it has no party organization
    answer = login(users["community_a"]).post("/partybuilding/organizations/", {
        "name": "阳光社工服务社党支部", "kind": "social_org", "region_code": COMM_A,
        "social_organization_id": entry.pk}, follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 200
    branch = entry.own_party_organization
    assert branch.name == "阳光社工服务社党支部"
    event = AuditEvent.objects.get(action="partybuilding.organization.create")
    assert event.detail["social_organization"] == entry.pk
    detail = login(users["community_a"]).get(f"/organizations/{entry.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "阳光社工服务社党支部" in detail.content.decode() and 'data-testid="record-link"' in detail.content.decode()
    assert "阳光社工服务社" not in login(users["community_a"]).get("/partybuilding/organizations/").content.decode() \
        .split('data-testid="social-organization"')[1].split("</select>")[0]  # no second branch offered


def test_the_link_is_refused_for_another_kind_a_second_branch_or_another_area(users, regions):
    entry = registry_entry(users["community_a"], COMM_A, "阳光社工服务社")
    with pytest.raises(ValidationFailed) as refused:
        services.create_organization(actor=users["community_a"], name="社区党委", kind="community",
                                     region_code=COMM_A, social_organization_id=entry.pk)
    assert refused.value.code == "social_organization_kind"
    services.create_organization(actor=users["community_a"], name="甲党支部", kind="social_org", region_code=COMM_A,
                                 social_organization_id=entry.pk)
    with pytest.raises(ValidationFailed) as refused:
        services.create_organization(actor=users["community_a"], name="乙党支部", kind="social_org",
                                     region_code=COMM_A, social_organization_id=entry.pk)
    assert refused.value.code == "social_organization_has_party_organization"
    with pytest.raises(NotFound):
        services.create_organization(actor=users["community_b"], name="丙党支部", kind="social_org",
                                     region_code=COMM_B, social_organization_id=entry.pk)


def test_the_district_office_sees_the_link_on_the_registry_page(login, users, regions):
    entry = registry_entry(users["district"], COMM_A, "区级枢纽社会组织")
    services.create_organization(actor=users["community_a"], name="枢纽党支部", kind="social_org", region_code=COMM_A,
                                 social_organization_id=entry.pk)
    district = login(users["district"]).get(f"/organizations/{entry.pk}/").content.decode()
    assert "枢纽党支部" in district
