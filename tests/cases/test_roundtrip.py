"""The 12345 round trip: a batch imported, handled and called back; the export gives each order's result back in
the import's column layout (CSV and xlsx, formula-safe, phone masked); re-importing changes and duplicates nothing."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook

from civicgrid.cases import roundtrip, services
from civicgrid.cases.models import Case
from civicgrid.cases.services import callback
from civicgrid.cases.services.hotline import COLUMNS
from civicgrid.core.errors import PermissionDenied
from tests.cases.conftest import IN_A, to_state

pytestmark = pytest.mark.django_db
ORDERS = [{"order_no": "BJ12345-0001", "received_at": "2026-03-02T09:00:00+08:00", "description": "楼道堆物无人清理",
           "phone": "13900001111", "lon": IN_A[0], "lat": IN_A[1], "address": "", "category": "0101", "urgent": ""},
          {"order_no": "BJ12345-0002", "received_at": "2026-03-02T10:00:00+08:00",
           "description": "=HYPERLINK(\"http://x\")路灯不亮", "phone": "13900002222", "lon": IN_A[0], "lat": IN_A[1],
           "address": "", "category": "0101", "urgent": "是"}]


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture
def handled(users, unit, garbage):
    assert services.import_hotline(actor=users["district"], name="batch.csv", data=_csv(ORDERS))["created"] == 2
    case = Case.objects.get(external_id="BJ12345-0001")
    to_state(users, case, "closed")
    users["community_a"].user_permissions.add(Permission.objects.get(codename="call_back"))
    callback.record_attempt(actor=users["community_a"], case_id=case.pk, reached=True, resolved=True,
                            satisfaction="basic")
    return case


def _period():
    from datetime import date
    return {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}


def test_the_export_gives_each_result_back_by_order_number(users, handled):
    table = roundtrip.rows(actor=users["district"], **_period())
    header, by_order = table[0], {row[0]: dict(zip(table[0], row, strict=True)) for row in table[1:]}
    assert header[:len(COLUMNS)] == list(COLUMNS)
    done = by_order["BJ12345-0001"]
    assert done["handling_result"] == "closed" and done["reply"] == "已清运"
    assert done["handling_unit"] == "区城市管理委员会"
    assert done["callback_satisfaction"] == "basic" and done["callback_resolved"] == "是"
    assert done["accepted_at"] and done["replied_at"] and done["closed_at"]
    assert done["received_at"] == "2026-03-02T09:00:00+08:00" and done["phone"] == "139****1111"
    waiting = by_order["BJ12345-0002"]
    assert waiting["handling_result"] == "reported" and waiting["description"].startswith("'=HYPERLINK")
    assert "13900002222" not in json.dumps(table, ensure_ascii=False)


def test_csv_and_xlsx_hold_the_same_table(users, handled):
    table = roundtrip.rows(actor=users["district"], **_period())
    text = roundtrip.as_csv(table).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1][0] == "BJ12345-0001"
    sheet = load_workbook(io.BytesIO(roundtrip.as_xlsx(table))).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == table[0] and values[2][2].startswith("'=HYPERLINK")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimporting_the_batch_or_the_export_changes_and_duplicates_nothing(users, handled, fmt):
    before = {c.pk: (c.updated_at, c.state, c.phone_cipher) for c in Case.objects.all()}
    table = roundtrip.rows(actor=users["district"], **_period())
    data = roundtrip.as_csv(table) if fmt == "csv" else roundtrip.as_xlsx(table)
    for name, payload in ((f"export.{fmt}", data), ("batch.csv", _csv(ORDERS))):
        result = services.import_hotline(actor=users["district"], name=name, data=payload)
        assert result == {"created": 0, "unchanged": 2, "errors": []}
    assert {c.pk: (c.updated_at, c.state, c.phone_cipher) for c in Case.objects.all()} == before


def test_a_batch_with_one_new_order_adds_only_that_one(users, handled):
    new = {**ORDERS[0], "order_no": "BJ12345-0003"}
    result = services.import_hotline(actor=users["district"], name="b.csv", data=_csv([*ORDERS, new]))
    assert result == {"created": 1, "unchanged": 2, "errors": []} and Case.objects.count() == 3


def test_only_the_importing_offices_export(users, handled, login):
    with pytest.raises(PermissionDenied):
        roundtrip.rows(actor=users["community_a"], **_period())
    assert login(users["community_a"]).get("/cases/import/results.csv").status_code == 403
    answer = login(users["district"]).get("/cases/import/results.xlsx?start=2026-03-01&end=2026-03-31")
    assert answer.status_code == 200 and answer["Content-Disposition"].endswith('.xlsx"')
    answer = login(users["district"]).get("/cases/import/results.csv?start=2026-03-01&end=2026-03-31")
    assert "BJ12345-0001" in answer.content.decode("utf-8-sig")
