"""The party building admin reads through the jurisdiction: another community's records are neither listed nor
opened, and the choices of related records (an organization's enterprise) are the admin's own area's only."""

import pytest
from django.contrib.auth.models import Permission

from civicgrid.partybuilding import services
from tests.conftest import COMM_A, COMM_B, GRID_B
from tests.partybuilding.conftest import credit_code, enterprise

pytestmark = pytest.mark.django_db


def _admin_of_community_b(users):
    officer = users["community_b"]
    officer.is_staff = True
    officer.save(update_fields=["is_staff"])
    officer.user_permissions.add(*Permission.objects.filter(content_type__app_label="partybuilding",
                                                            codename__in=["view_enterprise", "change_enterprise",
                                                                          "view_partyorganization",
                                                                          "change_partyorganization"]))
    return officer


def test_admin_lists_opens_and_offers_only_its_own_communitys_records(users, login, building):
    mine = enterprise(users["community_a"], name="甲社区企业")
    theirs = services.register_enterprise(actor=users["community_b"], name="乙社区企业", credit_code=credit_code(8802),
                                          size="small", region_code=GRID_B)
    own_branch = services.create_organization(actor=users["community_b"], name="乙社区党委", kind="community",
                                              region_code=COMM_B)
    services.create_organization(actor=users["community_a"], name="甲社区党委", kind="community", region_code=COMM_A)
    client = login(_admin_of_community_b(users))
    listing = client.get("/admin/partybuilding/enterprise/").content.decode()
    assert "乙社区企业" in listing and "甲社区企业" not in listing
    assert client.get(f"/admin/partybuilding/enterprise/{mine.pk}/change/").status_code in (302, 404)
    form = client.get(f"/admin/partybuilding/partyorganization/{own_branch.pk}/change/").content.decode()
    assert "乙社区企业" in form and "甲社区企业" not in form
    assert theirs.region_code.startswith(COMM_B)
