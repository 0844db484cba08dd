"""Printable records: the meeting record and an honorary director's annual record as PDFs with an embedded CJK
font; rendering drops each document's subset font from reportlab's registry (no growth per document)."""

from datetime import date

import pytest
from reportlab.pdfbase import pdfmetrics

from civicgrid.consultation import services
from civicgrid.consultation.pdf import director_record_pdf, meeting_record_pdf
from civicgrid.core.pdffonts import noto_path
from tests.conftest import COMM_A
from tests.consultation.conftest import in_days

pytestmark = pytest.mark.django_db


def subset_fonts() -> set[str]:
    return {name for name in pdfmetrics.getRegisteredFontNames() if name.startswith("NotoSansCJKSC-")}


@pytest.fixture
def director_at_meeting(users):
    staff = users["community_a"]
    director = services.add_director(actor=staff, community=COMM_A, name="周建国", affiliation="区医院",
                                     term_start=date(2025, 1, 1), term_end=date(2027, 12, 31))
    meeting = services.plan_meeting(actor=staff, community=COMM_A, title="三月社情恳谈会", starts_at=in_days(-2))
    invitee = services.invite(actor=staff, meeting_id=meeting.pk, name="", party="director", director_id=director.pk)
    services.sign_in(actor=staff, invitee_id=invitee.pk)
    services.save_minutes(actor=staff, meeting_id=meeting.pk, text="议定：修复路灯。")
    services.add_contribution(actor=staff, director_id=director.pk, kind="resource", on=date.today(),
                              text="医院会议室每月向居民开放一次")
    return director, meeting


def test_rendering_records_does_not_keep_a_font_per_document(director_at_meeting):
    director, meeting = director_at_meeting
    before = subset_fonts()
    documents = [meeting_record_pdf(meeting), director_record_pdf(director, date.today().year)]
    meeting.title = "四月社情恳谈会（临时）"
    documents.append(meeting_record_pdf(meeting))
    assert all(document.startswith(b"%PDF") for document in documents)
    assert subset_fonts() == before
    if noto_path():
        assert all(b"/FontFile2" in document for document in documents)  # the subset font is embedded


def test_the_annual_record_pdf_is_linked_and_scoped(login, users, director_at_meeting):
    director, _meeting = director_at_meeting
    year = date.today().year
    staff = login(users["community_a"])
    page = staff.get(f"/consultation/directors/{director.pk}/{year}/").content.decode()
    url = f"/consultation/directors/{director.pk}/{year}/record.pdf"
    assert url in page
    pdf = staff.get(url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert login(users["community_b"]).get(url).status_code == 404
