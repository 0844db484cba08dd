"""Pages: phone pages of the volunteer, the desks, CSV export, certificate PDF and public verification."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.volunteering import services
from civicgrid.volunteering.models import Redemption
from tests.volunteering.conftest import credit, new_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(users, team, volunteer):
    services.join_team(actor=volunteer.user, team_id=team.pk)
    start = timezone.now() - timedelta(hours=2)
    record = services.create_record(actor=users["community_a"], team_id=team.pk, volunteer_id=volunteer.pk,
                                    started_at=start, ended_at=start + timedelta(hours=1), content="=cmd 巡河")
    services.confirm_record(actor=users["community_a"], record_id=record.pk)
    return record


@pytest.mark.parametrize("url", ["/volunteering/", "/volunteering/activities/", "/volunteering/me/records/",
                                 "/volunteering/me/points/", "/volunteering/me/certificates/", "/volunteering/help/"])
def test_volunteer_pages_render(login, volunteer, shift, url):
    assert login(volunteer.user).get(url).status_code == 200


def test_desks_render_for_their_roles(login, users, shift, shop, shop_user, confirmed):
    assert login(users["community_a"]).get("/volunteering/desk/").status_code == 200
    assert login(users["community_a"]).get(f"/volunteering/desk/shifts/{shift.pk}/").status_code == 200
    assert login(users["community_b"]).get(f"/volunteering/desk/shifts/{shift.pk}/").status_code == 404
    assert login(users["community_a"]).get("/volunteering/community/").status_code == 200
    assert login(shop_user).get("/volunteering/shop/").status_code == 200
    assert login(users["resident"]).get("/volunteering/shop/").status_code == 404
    qr = login(users["community_a"]).get(f"/volunteering/desk/shifts/{shift.pk}/qr.png")
    assert qr["Content-Type"] == "image/png"


def test_csv_export_layout_is_masked_and_safe(login, users, volunteer, confirmed):
    content = login(users["community_a"]).get("/volunteering/desk/records.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:3] == ["记录编号", "志愿者姓名", "证件号码"] and len(rows) == 2
    assert "*" in rows[1][2] and rows[1][8].startswith("'=")
    other = login(users["community_b"]).get("/volunteering/desk/records.csv").content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(other)))) == 1


def test_csv_export_keeps_a_formula_like_volunteer_name_as_text(login, users, team):
    hostile = '=HYPERLINK("http://x","y")'
    member = new_volunteer("vol-hostile", name=hostile, verified_by=users["community_a"])
    services.join_team(actor=member.user, team_id=team.pk)
    start = timezone.now() - timedelta(hours=2)
    record = services.create_record(actor=users["community_a"], team_id=team.pk, volunteer_id=member.pk,
                                    started_at=start, ended_at=start + timedelta(hours=1), content="@sum(A1)")
    services.confirm_record(actor=users["community_a"], record_id=record.pk)
    content = login(users["community_a"]).get("/volunteering/desk/records.csv").content.decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(content)))[1]
    assert row[1] == "'" + hostile and row[8] == "'@sum(A1)" and row[0] == str(record.pk)


def test_claim_from_the_points_page_replays_a_double_submit(login, volunteer, offer):
    credit(volunteer, 60)
    client = login(volunteer.user)
    for _ in range(2):
        client.post(f"/volunteering/offers/{offer.pk}/claim/", {"key": "form-key-000001"})
    page = client.get("/volunteering/me/points/").content.decode()
    assert 'data-testid="balance">30<' in page


def test_certificate_pdf_and_public_verify(client, login, volunteer, confirmed):
    certificate = services.issue_certificate(actor=volunteer.user)
    pdf = login(volunteer.user).get(f"/volunteering/me/certificates/{certificate.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    page = client.get(f"/volunteering/verify/{certificate.token}/").content.decode()
    assert certificate.number in page and volunteer.name not in page
    assert client.get("/volunteering/verify/unknown/").status_code == 404


@pytest.mark.parametrize("month", ["2026-13", "abc", ""])
def test_settling_a_malformed_month_is_a_message_not_an_error(login, users, shop, month):
    client = login(users["community_a"])
    answer = client.post(f"/volunteering/community/shops/{shop.pk}/settle/?month={month}")
    assert answer.status_code == 302 and answer["Location"] == "/volunteering/community/"
    page = client.get(answer["Location"]).content.decode()
    assert "月份格式应为 YYYY-MM" in page
    body = client.post(f"/volunteering/community/shops/{shop.pk}/settle/", {"month": month}, follow=True)
    assert body.status_code == 200 and "月份格式应为 YYYY-MM" in body.content.decode()


@pytest.mark.parametrize("query", [{"month": "abc"}, {"month": "13"}, {"year": "x"}, {"year": "99999", "month": "1"}])
def test_shop_desk_with_a_malformed_period_shows_the_current_month(login, shop, shop_user, query):
    page = login(shop_user).get("/volunteering/shop/", query)
    assert page.status_code == 200 and "请选择有效年份中的 1 至 12 月" in page.content.decode()


@pytest.mark.parametrize("next_url, expected", [("https://evil.example/phish", "/volunteering/me/points/"),
                                                ("//evil.example/phish", "/volunteering/me/points/"),
                                                ("/volunteering/activities/", "/volunteering/activities/")])
def test_a_refused_claim_goes_back_only_to_a_local_next(login, volunteer, offer, next_url, expected):
    answer = login(volunteer.user).post(f"/volunteering/offers/{offer.pk}/claim/", {"next": next_url})
    assert answer.status_code == 302 and answer["Location"] == expected
    assert not Redemption.objects.exists()  # no points: the claim was refused


def test_a_refused_settlement_ignores_an_external_next(login, users, shop):
    answer = login(users["community_a"]).post(f"/volunteering/community/shops/{shop.pk}/settle/",
                                              {"month": "bad", "next": "https://evil.example/"})
    assert answer["Location"] == "/volunteering/community/"
