"""The auditors' page of the audit log: Chinese words for actions, filters, pages, a formula-safe xlsx export,
and who sees which events (district: all; community: its own area and own actions; others: 404)."""

import io
import re
from pathlib import Path

import pytest
from django.db import transaction
from openpyxl import load_workbook

from civicgrid.cases.transitions import TRANSITIONS
from civicgrid.core import audit
from civicgrid.core.audit_labels import ACTIONS, action_label
from civicgrid.core.models import AuditEvent
from tests.conftest import COMM_A, COMM_B, GRID_A, GRID_B

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2] / "civicgrid"


@pytest.fixture
def events(users):
    with transaction.atomic():
        audit.record(actor=users["community_a"], action="cases.dispatch", target_type="cases.case", target_id="41",
                     region_code=GRID_A, detail={"unit": "区城管委"})
        audit.record(actor=users["community_b"], action="cases.dispatch", target_type="cases.case", target_id="42",
                     region_code=GRID_B, detail={"unit": "秘密单位B"})
        audit.record(actor=users["district"], action="people.resident.reveal", target_type="people.resident",
                     target_id="7", region_code=COMM_A, detail={"purpose": "=HYPERLINK(\"http://x\")"})
        audit.record(actor=users["district"], action="accounts.login")
        audit.record(actor=users["community_a"], action="accounts.login")


def _actions(html: str) -> list[str]:
    return re.findall(r'data-testid="audit-row" data-action="([^"]+)"', html)


def test_district_reads_everything_in_chinese_words(login, users, events):
    html = login(users["district"]).get("/audit/").content.decode()
    assert len(_actions(html)) == 5
    assert "派遣案件" in html and "查看居民完整个人信息" in html and "登录" in html
    assert "案件 #41" in html and "网格a" in html  # the object by its model's name, the area by its name
    assert ">cases.dispatch<" not in html


def test_a_community_sees_its_area_and_its_own_actions_only(login, users, events):
    html = login(users["community_a"]).get("/audit/").content.decode()
    assert sorted(_actions(html)) == ["accounts.login", "cases.dispatch", "people.resident.reveal"]
    assert "秘密单位B" not in html and "#42" not in html
    html_b = login(users["community_b"]).get("/audit/").content.decode()
    assert _actions(html_b) == ["cases.dispatch"] and "#42" in html_b and COMM_B[:9] not in "".join(_actions(html_b))


@pytest.mark.parametrize("who", ["grid_a", "resident"])
def test_people_who_manage_no_area_get_no_audit_page(login, users, who):
    client = login(users[who])
    assert client.get("/audit/").status_code == 404
    assert client.get("/audit/export.xlsx").status_code == 404


def test_filters_by_actor_action_object_and_time(login, users, events):
    client = login(users["district"])
    assert _actions(client.get("/audit/?actor=community-110107002").content.decode()) == ["cases.dispatch"]
    assert len(_actions(client.get("/audit/?action=accounts.login").content.decode())) == 2
    assert _actions(client.get("/audit/?target=7").content.decode()) == ["people.resident.reveal"]
    assert _actions(client.get("/audit/?start=2000-01-01&end=2000-01-02").content.decode()) == []
    assert len(_actions(client.get("/audit/?start=2000-01-01").content.decode())) == 5


def test_pages_of_fifty(login, users):
    with transaction.atomic():
        for n in range(60):
            audit.record(actor=users["district"], action="cases.comment", target_type="cases.case",
                         target_id=str(n), region_code=GRID_A)
    client = login(users["district"])
    first = client.get("/audit/?action=cases.comment").content.decode()
    assert len(_actions(first)) == 50 and 'data-testid="next-page"' in first
    assert "action=cases.comment&amp;page=2" in first
    assert len(_actions(client.get("/audit/?action=cases.comment&page=2").content.decode())) == 10


def test_export_is_formula_safe_filtered_and_audited(login, users, events):
    response = login(users["community_a"]).get("/audit/export.xlsx?action=people.resident.reveal")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][3] == "操作" and len(rows) == 2
    assert rows[1][3] == "查看居民完整个人信息" and rows[1][9].startswith("'purpose: =HYPERLINK") is False
    assert all(not (isinstance(cell, str) and cell.startswith("=")) for row in rows for cell in row)
    exported = AuditEvent.objects.get(action="core.audit.export")
    assert exported.actor_id == users["community_a"].pk and exported.detail["rows"] == 1


def test_formula_in_a_cell_start_is_neutralised(login, users):
    with transaction.atomic():
        audit.record(actor=users["district"], action="cases.comment", target_type="cases.case", target_id="=1+1",
                     region_code=GRID_A)
    response = login(users["district"]).get("/audit/export.xlsx?action=cases.comment")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][5] == "案件 #=1+1"  # text, not a formula: it does not start with "="
    with transaction.atomic():
        audit.record(actor=users["district"], action="=cmd|' /C calc'!A0")
    rows = list(load_workbook(io.BytesIO(login(users["district"]).get("/audit/export.xlsx").content))
                .active.iter_rows(values_only=True))
    assert any(row[4] == "'=cmd|' /C calc'!A0" for row in rows)


def test_every_action_the_code_records_has_words():
    literal = set()
    for path in ROOT.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        literal |= set(re.findall(r'action\s*=\s*"([a-z_]+\.[a-z_.]+)"', text))
        literal |= set(re.findall(r'"((?:servicecircle|volunteering)\.[a-z_]+\.[a-z_]+)"', text))
    literal |= {f"cases.{name}" for name in TRANSITIONS}
    literal |= {f"consultation.topic.{d}" for d in ("accept", "merge", "decline")}
    missing = sorted(a for a in literal if a not in ACTIONS)
    assert not missing, missing
    assert action_label("cases.something_new") == "案件 · something_new"  # a new action still reads sensibly


def test_details_in_words(login, users):
    with transaction.atomic():
        audit.record(actor=users["community_a"], action="cases.dispatch", target_type="cases.case", target_id="9",
                     region_code=GRID_A, detail={"from": "registered", "to": "dispatched", "secret_key": "x"})
    html = login(users["district"]).get("/audit/").content.decode()
    assert "原状态：已立案；新状态：已派遣；<code>secret_key: x</code>" in html
