"""A member's page: the grid served, commitments added and closed, services recorded, a volunteering record linked
once (its minutes counted once); 404 for another community, 403 for a grid worker who only watches."""

from datetime import date, timedelta

import pytest

from civicgrid.core.models import AuditEvent
from civicgrid.partybuilding import services
from civicgrid.partybuilding.models import Commitment, MemberService
from tests.conftest import COMM_A, GRID_A, GRID_B
from tests.partybuilding.conftest import resident
from tests.partybuilding.test_services import _confirmed_record

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def member(users, compound):
    branch = services.create_organization(actor=users["community_a"], name="社区党委", kind="community",
                                          region_code=COMM_A)
    person = resident(users["community_a"], compound, "党员甲")
    return services.register_member(actor=users["community_a"], resident_id=person.pk, organization_id=branch.pk,
                                    employed=True)


def _post(client, url, data, back=""):
    """Post as the page's form does (back to the member's page, where refusals are shown)."""
    return client.post(url, {**data, "next": back or url.rsplit("/", 2)[0] + "/"}, follow=True, **ZH).content.decode()


def test_member_page_serves_a_grid_and_keeps_commitments(login, users, member):
    staff = login(users["community_a"])
    url = f"/partybuilding/members/{member.pk}/"
    assert url in staff.get("/partybuilding/members/", **ZH).content.decode()
    _post(staff, f"{url}report/", {"reported_on": str(date.today()), "grid_code": GRID_A})
    page = _post(staff, f"{url}commitments/", {"year": "2026", "text": "每月楼门值守两次", "hours": "24"})
    assert "每月楼门值守两次" in page and "承诺" in page
    commitment = Commitment.objects.get()
    page = _post(staff, f"/partybuilding/commitments/{commitment.pk}/close/",
                 {"closed_on": str(date.today()), "outcome": "全年值守26次"}, url)
    commitment.refresh_from_db()
    assert commitment.closed_on == date.today() and "全年值守26次" in page
    page = _post(staff, f"/partybuilding/commitments/{commitment.pk}/close/",
                 {"closed_on": str(date.today()), "outcome": "再关一次"}, url)
    assert "该承诺已办结" in page
    member.refresh_from_db()
    assert member.grid.code == GRID_A
    assert AuditEvent.objects.filter(action="partybuilding.member.close_commitment").count() == 1


def test_bad_input_on_the_member_page_is_refused_in_chinese_and_nothing_is_written(login, users, member):
    staff = login(users["community_a"])
    url = f"/partybuilding/members/{member.pk}/"
    page = _post(staff, f"{url}report/", {"reported_on": str(date.today()), "grid_code": GRID_B})
    assert "请选择党员居住社区内的网格" in page
    page = _post(staff, f"{url}services/", {"service_date": str(date.today() + timedelta(days=2)), "content": "巡查",
                                            "minutes": "30"})
    assert "不能晚于今天" in page or "未来" in page
    page = _post(staff, f"{url}commitments/", {"year": "1999", "text": "x", "hours": "1"})
    assert "2000" in page
    assert not MemberService.objects.exists() and not Commitment.objects.exists()


def test_a_linked_volunteering_record_counts_once_on_the_page(login, users, member):
    record = _confirmed_record(users, member.resident)
    staff = login(users["community_a"])
    url = f"/partybuilding/members/{member.pk}/"
    _post(staff, f"{url}services/", {"service_date": str(date.today()), "content": "楼门值守", "minutes": "45"})
    page = staff.get(url, **ZH).content.decode()
    assert f'data-testid="link-{record.pk}"' in page
    page = _post(staff, f"{url}link/", {"record_id": str(record.pk)})
    assert f'data-testid="link-{record.pk}"' not in page  # no longer offered
    assert f'data-testid="member-minutes">{45 + record.minutes}<' in page
    page = _post(staff, f"{url}link/", {"record_id": str(record.pk)})
    assert "已计入" in page
    assert MemberService.objects.filter(volunteer_record=record).count() == 1
    assert f'data-testid="member-minutes">{45 + record.minutes}<' in page


def test_member_page_answers_404_across_communities_and_403_to_watchers(login, users, member):
    assert login(users["community_b"]).get(f"/partybuilding/members/{member.pk}/").status_code == 404
    assert login(users["community_b"]).post(f"/partybuilding/members/{member.pk}/commitments/",
                                            {"year": "2026", "text": "越界", "hours": "1"}).status_code == 404
    grid = login(users["grid_a"])
    assert grid.get(f"/partybuilding/members/{member.pk}/").status_code == 200
    assert grid.post(f"/partybuilding/members/{member.pk}/commitments/",
                     {"year": "2026", "text": "旁观", "hours": "1"}).status_code == 403
    assert not Commitment.objects.exists()
