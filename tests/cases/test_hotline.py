"""Hotline import: hostile files are refused before parsing, and row errors name the right field."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civicgrid.cases import services
from civicgrid.cases.models import Case
from civicgrid.core import uploads
from civicgrid.core.errors import ValidationFailed
from tests.cases.conftest import IN_A
from tests.core.xlsx_files import expanding_xlsx

pytestmark = pytest.mark.django_db
GOOD = {"order_no": "H1", "received_at": "2026-03-02T09:00:00+08:00", "description": "楼道堆物",
        "lon": IN_A[0], "lat": IN_A[1], "category": "0104"}


def _refusal(users, name, data) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as refused:
        services.import_hotline(actor=users["district"], name=name, data=data)
    return refused.value


def test_a_small_xlsx_expanding_beyond_the_limit_is_refused_before_openpyxl_reads_it(users, unit):
    bomb = expanding_xlsx(uploads.MAX_XLSX_EXPANDED_BYTES + uploads.MB)
    assert len(bomb) < uploads.MB
    # the bomb has no workbook part: had openpyxl opened it, the refusal would be `unreadable_file`
    refused = _refusal(users, "orders.xlsx", bomb)
    assert refused.code == "file_too_large" and "50 MB" in str(refused.message)
    assert Case.objects.count() == 0


def test_too_many_rows_are_refused_before_any_is_imported(users, unit):
    rows = [{**GOOD, "order_no": f"H{n}"} for n in range(services.hotline.MAX_ROWS + 1)]
    assert _refusal(users, "orders.json", json.dumps(rows).encode()).code == "too_many_rows"


def test_the_import_page_refuses_an_oversized_upload_with_a_message(users, unit, login):
    upload = SimpleUploadedFile("orders.csv", b"x" * (uploads.MAX_UPLOAD_BYTES + 1), "text/csv")
    page = login(users["district"]).post("/cases/import/", {"file": upload}, follow=True)
    assert page.status_code == 200 and "文件超过 20 MB" in page.content.decode()


@pytest.mark.parametrize("field", ["lon", "lat"])
def test_a_bad_coordinate_is_reported_on_its_own_field(users, unit, field):
    result = services.import_hotline(actor=users["district"], name="orders.json",
                                     data=json.dumps([{**GOOD, field: "north"}]).encode())
    assert [(e["row"], e["field"], e["code"]) for e in result["errors"]] == [(2, field, "invalid_value")]
