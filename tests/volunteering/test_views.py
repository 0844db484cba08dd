"""Pages: phone pages of the volunteer, the desks, CSV export, certificate PDF and public verification."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.volunteering import services
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
