"""The monthly reports: made by the task on the first working day of the month for the district and every
subdistrict, kept once, listed, downloaded within the reader's jurisdiction; the PDF (Chinese, with charts) and the
xlsx carry the same figures as the cockpit page."""

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from civicgrid.cockpit import rollup, selectors, services
from civicgrid.cockpit.models import MonthlyReport
from civicgrid.cockpit.periods import Period
from civicgrid.core.models import AuditEvent
from civicgrid.territory.models import Region
from tests.cockpit.pdftext import fonts, pdf_lines, shown_text
from tests.conftest import DISTRICT, SUB_A, SUB_B

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_month_reports(random_cases):
    rollup.refresh()
    today = date.today()
    made = services.monthly_reports_due(today=today, force=True)
    return made


def test_reports_are_made_once_per_region_on_the_first_working_day(random_cases):
    rollup.refresh()
    assert services.monthly_reports_due(today=date(2026, 10, 1)) == 0  # National Day: not a working day
    made = services.monthly_reports_due(today=date(2026, 10, 9))  # the first working day after the holiday
    assert made == 3  # the district and both subdistricts
    assert services.monthly_reports_due(today=date(2026, 10, 12)) == 0  # kept: not made again
    assert set(MonthlyReport.objects.values_list("region_code", "month")) == {
        (DISTRICT, date(2026, 9, 1)), (SUB_A, date(2026, 9, 1)), (SUB_B, date(2026, 9, 1))}
    assert AuditEvent.objects.filter(action="cockpit.report.generate").count() == 3


def test_the_pdf_carries_the_figures_of_the_cockpit(login, users, last_month_reports):
    report = MonthlyReport.objects.get(region_code=SUB_A)
    period = Period.containing("month", report.month)
    cards = selectors.cards(actor=users["district"], region=Region.objects.get(code=SUB_A), period=period)
    client = login(users["sub_a"])
    listing = client.get("/cockpit/reports/").content.decode()
    assert f"/cockpit/reports/{report.pk}/report.pdf" in listing
    assert MonthlyReport.objects.get(region_code=DISTRICT).pk not in [
        r.pk for r in selectors.reports_for(actor=users["sub_a"])]
    response = client.get(f"/cockpit/reports/{report.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    lines = pdf_lines(response.content)
    text = "\n".join(lines)
    assert "街道a" in text and f"{report.month:%Y-%m}" in text and "响应率" in text
    shown = {card.kpi.key: card.shown for card in cards}
    for card in cards:
        row = next(line for line in lines if line == str(card.kpi.title))
        assert row  # the figure's title is there, and its value on the same row
    assert all(value in lines for value in shown.values())
    assert any(v.endswith("%") and v != "—" for v in shown.values())  # real rates, not only empty cells
    assert b"/Subtype /Form" in response.content or b"re f" in response.content or b" re" in response.content  # charts
    assert AuditEvent.objects.filter(action="cockpit.report.export").count() == 1


def test_the_pdf_embeds_a_subset_of_its_chinese_font(login, users, last_month_reports):
    """Any reader shows the report: every font that shows text is embedded (a FontFile2 stream) and subset (its
    name tagged ABCDEF+), and every character drawn has a glyph in it (none fell back to glyph 0)."""
    report = MonthlyReport.objects.get(region_code=DISTRICT)
    content = bytes(report.pdf)
    used = {name for name, _text in shown_text(content)}
    resources = fonts(content)
    assert used and all(resources[name].embedded for name in used)
    assert all(re.fullmatch(r"[A-Z]{6}\+NotoSansCJK.*", resources[name].base) for name in used)
    assert b"STSong-Light" not in content and b"/FontFile2" in content
    for made in MonthlyReport.objects.all():  # made one after another in one process: each with its own glyphs
        assert not any("\x00" in text or "\ufffd" in text for _name, text in shown_text(bytes(made.pdf)))
    assert "石景山区" in "".join(text for _name, text in shown_text(content))


def test_the_xlsx_has_the_figures_and_the_ranking(login, users, last_month_reports):
    report = MonthlyReport.objects.get(region_code=DISTRICT)
    response = login(users["district"]).get(f"/cockpit/reports/{report.pk}/report.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    titles = [row[1] for row in book["kpi"].iter_rows(min_row=3, values_only=True)]
    assert "响应率" in titles and "按期结案率" in titles
    ranking = list(book["ranking"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in ranking] == ["街道a", "街道b"]
    value = report.figures["kpis"][0]["value"]
    assert list(book["kpi"].iter_rows(min_row=3, values_only=True))[0][2] == value


def test_reports_outside_the_jurisdiction_answer_404(login, users, last_month_reports):
    district_report = MonthlyReport.objects.get(region_code=DISTRICT)
    sub_b = MonthlyReport.objects.get(region_code=SUB_B)
    leader = login(users["sub_a"])
    assert leader.get(f"/cockpit/reports/{district_report.pk}/report.pdf").status_code == 404
    assert leader.get(f"/cockpit/reports/{sub_b.pk}/report.xlsx").status_code == 404
    assert login(users["community_a"]).get("/cockpit/reports/").status_code == 200  # a list, empty for him
    assert login(users["resident"]).get("/cockpit/reports/").status_code == 404
