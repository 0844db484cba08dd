import io
import re
from datetime import date

from openpyxl import Workbook, load_workbook

from civicgrid.core.models import AuditEvent
from civicgrid.people.models import Resident
from tests.people.conftest import grant_reveal, make_id


def test_list_shows_masked_rows_and_filters(register, login, users):
    number = make_id(seq="411")
    register(id_number=number, name="王芳", groups=["disability"])
    register(place_key="b", name="李雷")
    response = login(users["community_a"]).get("/people/residents/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="resident-row"') == 1
    assert f"110107********{number[-4:]}" in html and "138****5678" in html
    assert number not in html and "13812345678" not in html and "李雷" not in html
    assert 'data-testid="id-masked"' in html and 'data-testid="phone-masked"' in html
    assert 'data-label=' in html and "社区b" not in html  # no other community in the filter select
    assert "身份证号" in html and "人员类别" in html  # Chinese by default
    empty = login(users["community_a"]).get("/people/residents/", {"group": "veteran"}).content.decode()
    assert 'data-testid="empty"' in empty


def test_list_paginates(register, login, users):
    for seq in range(100, 155):
        register(id_number=make_id(seq=str(seq)))
    client = login(users["district"])
    first = client.get("/people/residents/").content.decode()
    assert first.count('data-testid="resident-row"') == 50 and 'rel="next"' in first
    assert client.get("/people/residents/", {"page": 2}).content.decode().count('data-testid="resident-row"') == 5


def test_detail_and_cross_community_404(register, login, users):
    mine, theirs = register(), register(place_key="b")
    client = login(users["community_a"])
    detail = client.get(f"/people/residents/{mine.pk}/")
    assert detail.status_code == 200 and 'data-testid="reveal-id_number"' not in detail.content.decode()
    assert client.get(f"/people/residents/{theirs.pk}/").status_code == 404
    assert client.post(f"/people/residents/{theirs.pk}/reveal/", {"field": "phone"}).status_code == 404


def test_reveal_button_and_post(register, login, users):
    number = make_id(seq="412")
    resident = register(id_number=number)
    client = login(grant_reveal(users["community_a"]))
    detail = client.get(f"/people/residents/{resident.pk}/").content.decode()
    assert 'data-testid="reveal-id_number"' in detail and number not in detail
    assert 'data-testid="reveal-purpose"' in detail
    refused = client.post(f"/people/residents/{resident.pk}/reveal/", {"field": "id_number"}, follow=True)
    assert number not in refused.content.decode() and "请说明" in refused.content.decode()
    revealed = client.post(f"/people/residents/{resident.pk}/reveal/", {"field": "id_number", "purpose": "核实身份"})
    assert revealed.status_code == 200 and number in revealed.content.decode()
    assert "no-store" in revealed["Cache-Control"]
    assert AuditEvent.objects.filter(action="people.resident.reveal", outcome="success").count() == 1
    denied = login(users["grid_a"]).post(f"/people/residents/{resident.pk}/reveal/", {"field": "id_number"})
    assert denied.status_code == 403 and number not in denied.content.decode()


def test_lookup_form(register, login, users):
    number = make_id(seq="413")
    resident = register(id_number=number)
    client = login(users["community_a"])
    assert client.get("/people/residents/lookup/").status_code == 200
    found = client.post("/people/residents/lookup/", {"id_number": number})
    assert found.status_code == 302 and found["Location"] == f"/people/residents/{resident.pk}/"
    missing = client.post("/people/residents/lookup/", {"id_number": make_id(seq="414")})
    assert 'data-testid="lookup-error"' in missing.content.decode()
    assert login(users["community_b"]).post("/people/residents/lookup/", {"id_number": number}).status_code == 200


def test_lookup_page_searches_by_post_only(register, login, users):
    number = make_id(seq="416")
    register(id_number=number)
    page = login(users["community_a"]).get("/people/residents/lookup/", {"id_number": number})
    assert page.status_code == 200 and '<form method="post"' in page.content.decode()
    assert not AuditEvent.objects.filter(action="people.resident.lookup").exists()


def test_export_is_masked_and_audited(register, login, users):
    number = make_id(seq="415")
    register(id_number=number, name="王芳")
    register(place_key="b", name="李雷")
    response = login(users["community_a"]).get("/people/residents/export.xlsx", {"gender": "male"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "王芳" in cells and "李雷" not in cells
    assert f"110107********{number[-4:]}" in cells and "138****5678" in cells
    assert not any(number in c or "13812345678" in c for c in cells)
    event = AuditEvent.objects.get(action="people.resident.export")
    assert event.detail == {"count": 1, "filters": {"gender": "male"}}


def test_export_keeps_a_formula_like_name_as_text(register, login, users):
    hostile = '=HYPERLINK("http://x","y")'
    register(name=hostile)
    response = login(users["community_a"]).get("/people/residents/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    name_cell = sheet.cell(row=2, column=1)
    assert name_cell.data_type == "s" and name_cell.value == "'" + hostile
    age_cell = sheet.cell(row=2, column=3)
    assert isinstance(age_cell.value, int)


def _xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "residents.xlsx"
    return buffer


def test_import_page_validates_then_confirms(login, users, places):
    client = login(users["community_a"])
    assert client.get("/people/residents/import/").status_code == 200
    template = client.get("/people/residents/import/template.xlsx")
    assert load_workbook(io.BytesIO(template.content)).active["A1"].value == "姓名"
    bad = _xlsx([["姓名", "身份证号", "小区", "楼栋单元户"], ["张三", "110107198005171230", "阳光小区", "1-1-101"]])
    report = client.post("/people/residents/import/", {"file": bad}).content.decode()
    assert 'data-testid="import-problem"' in report and "身份证号" in report and "import-confirm" not in report
    good = _xlsx([["姓名", "身份证号", "小区", "楼栋单元户"],
                  ["张三", make_id(birth=date(1970, 1, 1)), "阳光小区", "1号楼1单元101室"]])
    checked = client.post("/people/residents/import/", {"file": good})
    token = checked.context["token"]
    assert Resident.objects.count() == 0
    confirmed = client.post("/people/residents/import/", {"confirm": token})
    assert confirmed.status_code == 302 and Resident.objects.count() == 1
    replay = client.post("/people/residents/import/", {"confirm": token})
    assert replay.status_code == 302 and Resident.objects.count() == 1


def test_staff_roster_page(login, users, regions):
    from civicgrid.people.services import register_staff_member

    register_staff_member(actor=users["district"], region=regions["grid_a"], name="周强", body="grid",
                          grids=[regions["grid_a"]], is_party_member=True, phone="13700001111")
    html = login(users["community_a"]).get("/people/staff/").content.decode()
    assert 'data-testid="staff-row"' in html and "137****1111" in html and "13700001111" not in html


def test_resident_filter_goes_in_steps(register, login, users, regions):
    client = login(users["district"])
    page = client.get("/people/residents/").content.decode()
    assert 'data-testid="step-sub"' in page and 'data-testid="step-grid"' not in page
    assert page.count("<option") < 40  # no select of every grid
    stepped = client.get("/people/residents/", {"sub": "110107001", "community": "110107001003"}).content.decode()
    assert 'data-testid="step-grid"' in stepped and "网格a" in stepped and "网格b" not in stepped
    linked = client.get("/people/residents/", {"region": "110107002001001"}).content.decode()  # a region page link
    assert re.search(r'<option value="110107002001001" selected>', linked)
    grid = login(users["grid_a"]).get("/people/residents/").content.decode()
    assert "step-sub" not in grid and "step-grid" not in grid  # a grid worker has nothing to choose
