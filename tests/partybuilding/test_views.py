"""Pages: staff only, 404 across communities, exports masked and formula-safe, the public showcase."""

import io

import pytest
from openpyxl import load_workbook

from civicgrid.core.models import AuditEvent
from civicgrid.partybuilding import services
from tests.conftest import COMM_A
from tests.partybuilding.conftest import enterprise, resident

pytestmark = pytest.mark.django_db


def _rows(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_pages_are_for_area_staff_and_answer_404_across_communities(login, users, building, station):
    staff = login(users["community_a"])
    for url in ("/partybuilding/", "/partybuilding/coverage/", "/partybuilding/organizations/",
                "/partybuilding/members/", "/partybuilding/enterprises/", "/partybuilding/sunflower/",
                "/partybuilding/projects/", f"/partybuilding/buildings/{building.pk}/"):
        assert staff.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").status_code == 200, url
    assert login(users["community_b"]).get(f"/partybuilding/buildings/{building.pk}/").status_code == 404
    assert login(users["resident"]).get("/partybuilding/").status_code == 404
    assert "楼宇工作站" in staff.get(f"/partybuilding/buildings/{building.pk}/",
                                   HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def test_members_export_masks_names_and_is_audited(login, users, compound):
    branch = services.create_organization(actor=users["community_a"], name="社区党委", kind="community",
                                          region_code=COMM_A)
    person = resident(users["community_a"], compound, "=张秘密")
    services.register_member(actor=users["community_a"], resident_id=person.pk, organization_id=branch.pk)
    response = login(users["community_a"]).get("/partybuilding/members.xlsx", HTTP_ACCEPT_LANGUAGE="zh-hans")
    rows = _rows(response)
    assert rows[1][0] == "'=***"  # masked, and text rather than a formula
    assert "张秘密" not in str(rows)
    assert AuditEvent.objects.filter(action="partybuilding.members.export").count() == 1


def test_coverage_export_lists_the_uncovered(login, users, building):
    enterprise(users["community_a"], employees=500, building=building, name="大企业未建组织")
    response = login(users["district"]).get("/partybuilding/coverage.xlsx", HTTP_ACCEPT_LANGUAGE="zh-hans")
    book = load_workbook(io.BytesIO(response.content))
    summary = list(book.worksheets[0].iter_rows(values_only=True))
    assert summary[1][1] == 1 and summary[1][2] == "0.0%"
    assert any(row[2] == "大企业未建组织" for row in book.worksheets[1].iter_rows(values_only=True))


def test_a_refused_credit_code_is_shown_beside_the_form(login, users):
    page = login(users["community_a"]).post("/partybuilding/enterprises/", {
        "name": "错码公司", "credit_code": "91110107MA00000010", "size": "small", "region_code": "110107001003001"},
        HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
    assert "校验" in page.content.decode()


def test_home_card_figures_and_evidence_download(login, users, building):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from civicgrid.partybuilding.models import Evidence
    from tests.partybuilding.test_projects import register

    enterprise(users["community_a"], employees=10, building=building)
    project = register(users["community_a"], due=(-3, 50))
    services.report_progress(actor=users["community_a"], project_id=project.pk, text_="进展", files=[
        SimpleUploadedFile("照片.png", b"\x89PNG fake", content_type="image/png")])
    home = login(users["community_a"]).get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="figure-party-coverage"' in home and "0.0%" in home
    assert 'data-testid="figure-projects-late"' in home
    evidence = Evidence.objects.get()
    got = login(users["community_a"]).get(f"/partybuilding/evidence/{evidence.pk}/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"\x89PNG fake"
    assert login(users["community_b"]).get(f"/partybuilding/evidence/{evidence.pk}/").status_code == 404
