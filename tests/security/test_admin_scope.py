"""Django admin changelists of region-scoped records stay inside the staff member's own jurisdiction."""

from django.contrib.auth.models import Permission

from civicgrid.volunteering import services
from tests.conftest import COMM_A, COMM_B


def test_a_subdistrict_admin_lists_and_opens_only_its_own_teams(users, login):
    services.create_team(actor=users["community_a"], name="甲社区服务队", region_code=COMM_A)
    team_b = services.create_team(actor=users["community_b"], name="乙社区服务队", region_code=COMM_B)
    officer = users["sub_a"]
    officer.is_staff = True
    officer.save(update_fields=["is_staff"])
    officer.user_permissions.add(Permission.objects.get(codename="view_team"))
    client = login(officer)
    page = client.get("/admin/volunteering/team/").content.decode()
    assert "甲社区服务队" in page
    assert "乙社区服务队" not in page
    assert client.get(f"/admin/volunteering/team/{team_b.pk}/change/").status_code in (302, 404)
