import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from civicgrid.core import uploads
from civicgrid.core.models import AuditEvent
from civicgrid.people.importing import import_residents_xlsx, template_xlsx
from civicgrid.people.models import Household, Resident
from tests.core.xlsx_files import expanding_xlsx, with_dimension
from tests.people.conftest import make_id

HEADERS = ["姓名", "身份证号", "手机号", "小区", "楼栋单元户", "人员类别", "户籍状态", "是否党员", "入住日期", "备注"]


def xlsx(rows, headers=HEADERS) -> io.BytesIO:
    workbook = Workbook()
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def good_rows():
    return [
        ["王秀英", make_id(birth=date(1944, 4, 4), seq="202"), "13911112222", "阳光小区", "1号楼1单元101室",
         "独居老人、残疾人", "户籍", "否", "1990-01-01", "高血压"],
        ["陈浩", make_id(birth=date(1995, 6, 6), seq="311"), "", "阳光小区", "2号楼3单元502室",
         "", "流动", "是", date(2026, 1, 2), ""],
        ["陈小雨", make_id(area="130102", birth=date(2019, 6, 6), seq="322"), "", "阳光小区", "2号楼3单元502室",
         "minor", "floating", "", None, ""],
    ]


def test_happy_path_writes_all_rows(users, places):
    report = import_residents_xlsx(actor=users["community_a"], file=xlsx(good_rows()), dry_run=False)
    assert report.ok and report.rows == 3 and report.created == 3
    assert Resident.objects.count() == 3 and Household.objects.count() == 2
    elder = Resident.objects.get(name="王秀英")
    assert set(elder.groups.values_list("group", flat=True)) == {"elderly_alone", "disability"}
    assert elder.health_note_cipher and "高血压" not in elder.health_note_cipher
    child = Resident.objects.get(name="陈小雨")
    assert set(child.groups.values_list("group", flat=True)) == {"minor", "floating"}
    assert Resident.objects.get(name="陈浩").is_party_member
    assert AuditEvent.objects.get(action="people.resident.import").detail["count"] == 3


def test_dry_run_writes_nothing(users, places):
    report = import_residents_xlsx(actor=users["community_a"], file=xlsx(good_rows()), dry_run=True)
    assert report.ok and report.rows == 3 and report.created == 0
    assert not Resident.objects.exists()


def test_bad_rows_reported_and_nothing_written(users, places, register):
    existing = make_id(seq="999")
    register(id_number=existing, place_key="b")
    rows = good_rows() + [
        ["", make_id(seq="401")[:-1] + "Y", "123", "阳光小区", "1-1", "", "", "", "", ""],      # row 5
        ["李四", make_id(seq="402"), "", "和平里小区", "1-1", "外星人", "半户籍", "也许", "昨天", ""],  # row 6
        ["王五", good_rows()[0][1], "", "阳光小区", "1-2", "", "", "", "", ""],                  # row 7
        ["赵六", existing, "", "阳光小区", "1-3", "", "", "", "", ""],                            # row 8
    ]
    report = import_residents_xlsx(actor=users["community_a"], file=xlsx(rows), dry_run=False)
    found = {(p["row"], p["column"], p["code"]) for p in report.problems}
    assert found == {
        (5, "姓名", "required"), (5, "身份证号", "invalid_id_number"), (5, "手机号", "invalid_phone"),
        (6, "小区", "unknown_place"), (6, "人员类别", "invalid_group"), (6, "户籍状态", "invalid_residence"),
        (6, "是否党员", "invalid_boolean"), (6, "入住日期", "invalid_date"),
        (7, "身份证号", "duplicate_in_file"), (8, "身份证号", "duplicate_id_number"),
    }
    assert all(p["problem"] for p in report.problems)
    assert Resident.objects.count() == 1 and report.created == 0


def test_english_headers_and_missing_columns(users, places):
    english = ["name", "id_number", "phone", "place", "unit_label"]
    report = import_residents_xlsx(
        actor=users["community_a"], dry_run=False,
        file=xlsx([["Li Lei", make_id(seq="501"), "", "阳光小区", "1-1-101"]], headers=english))
    assert report.ok and report.created == 1
    report = import_residents_xlsx(actor=users["community_a"], file=xlsx([["x"]], headers=["姓名"]), dry_run=True)
    assert {p["code"] for p in report.problems} == {"missing_column"}
    report = import_residents_xlsx(actor=users["community_a"], file=io.BytesIO(b"not a workbook"), dry_run=True)
    assert [p["code"] for p in report.problems] == ["invalid_file"]


def test_hostile_workbooks_are_refused_as_a_whole(users, places):
    bomb = expanding_xlsx(uploads.MAX_XLSX_EXPANDED_BYTES + uploads.MB)
    report = import_residents_xlsx(actor=users["community_a"], file=io.BytesIO(bomb), dry_run=False)
    assert [(p["row"], p["code"]) for p in report.problems] == [(1, "file_too_large")]
    declared = with_dimension(xlsx(good_rows()).getvalue(), b'<dimension ref="A1:J1048576"/>')
    report = import_residents_xlsx(actor=users["community_a"], file=io.BytesIO(declared), dry_run=False)
    assert [p["code"] for p in report.problems] == ["too_many_rows"] and Resident.objects.count() == 0


def test_resident_role_cannot_import(users, places):
    report = import_residents_xlsx(actor=users["resident"], file=xlsx(good_rows()), dry_run=False)
    assert [p["code"] for p in report.problems] == ["no_jurisdiction"]


def test_template_has_headers_and_valid_example():
    sheet = load_workbook(io.BytesIO(template_xlsx())).active
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet["B2"].value.startswith("110107")


def test_management_command(users, places, tmp_path):
    path = tmp_path / "residents.xlsx"
    path.write_bytes(xlsx(good_rows()).getvalue())
    call_command("import_residents", str(path), "--as", users["community_a"].username, "--dry-run")
    assert not Resident.objects.exists()
    call_command("import_residents", str(path), "--as", users["community_a"].username)
    assert Resident.objects.count() == 3
    with pytest.raises(CommandError):
        call_command("import_residents", str(path), "--as", users["community_a"].username)  # now duplicates
