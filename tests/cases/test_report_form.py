"""The report form after a refusal: everything entered comes back, the error sits beside its field, and the photo
is kept server-side (a token signed for the user) so the retry needs no new upload."""


from django.core.files.uploadedfile import SimpleUploadedFile

from civicgrid.cases import report_uploads
from civicgrid.cases.models import Case, CasePhoto
from tests.cases.conftest import IN_A, jpeg_with_gps


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")


def form(**changes) -> dict:
    data = {"description": "路灯不亮了", "lon": str(IN_A[0]), "lat": str(IN_A[1]), "address": "3号楼",
            "phone": "12345", "category_id": ""}
    data.update(changes)
    return data


def test_refused_report_keeps_input_and_puts_the_error_beside_its_field(users, unit, garbage, login):
    client = login(users["resident"])
    answer = client.post("/cases/report/", {**form(category_id=str(garbage.pk)), "photo": photo()})
    page = answer.content.decode()
    assert answer.status_code == 422 and not Case.objects.exists()
    assert 'data-testid="error-phone"' in page and "请输入11位手机号码" in page
    assert "路灯不亮了</textarea>" in page and 'value="3号楼"' in page and 'value="12345"' in page
    assert f'value="{IN_A[0]}"' in page and f'value="{IN_A[1]}"' in page
    assert f'<option value="{garbage.pk}" selected>' in page
    assert answer.context["kept_photos"] == 1 and answer.context["photo_token"]


def test_the_retry_reports_with_the_kept_photo_and_removes_the_pending_file(users, unit, login):
    client = login(users["resident"])
    token = client.post("/cases/report/", {**form(), "photo": photo()}).context["photo_token"]
    pending = report_uploads.kept(users["resident"], token)
    assert len(pending) == 1
    answer = client.post("/cases/report/", {**form(phone="13800001234"), "photo_token": token})
    case = Case.objects.get()
    assert answer.status_code == 302 and CasePhoto.objects.filter(case=case).count() == 1
    assert report_uploads.kept(users["resident"], token) == []  # the pending copy is gone


def test_a_token_is_only_good_for_its_own_user(users, unit, login):
    token = login(users["resident"]).post("/cases/report/", {**form(), "photo": photo()}).context["photo_token"]
    assert report_uploads.kept(users["grid_a"], token) == []
    assert report_uploads.kept(users["resident"], token + "x") == []
    grid = login(users["grid_a"])
    answer = grid.post("/cases/report/", {**form(phone=""), "photo_token": token})
    assert answer.status_code == 302 and CasePhoto.objects.count() == 0


def test_a_bad_photo_is_refused_beside_the_photo_field_and_not_kept(users, unit, login):
    client = login(users["resident"])
    bad = SimpleUploadedFile("p.jpg", b"not an image", content_type="image/jpeg")
    answer = client.post("/cases/report/", {**form(phone="13800001234"), "photo": bad})
    page = answer.content.decode()
    assert answer.status_code == 422 and 'data-testid="error-photo"' in page
    assert answer.context["kept_photos"] == 0 and not answer.context["photo_token"]


def test_outside_the_district_marks_the_map(users, unit, login):
    answer = login(users["resident"]).post("/cases/report/", form(lon="117.9", lat="40.9", phone=""))
    assert answer.status_code == 422 and 'data-testid="error-pin"' in answer.content.decode()


def test_a_bad_photo_with_another_error_gets_both_errors(users, unit, login):
    bad = SimpleUploadedFile("p.jpg", b"not an image", content_type="image/jpeg")
    answer = login(users["resident"]).post("/cases/report/", {**form(lon="117.9", lat="40.9"), "photo": bad})
    page = answer.content.decode()
    assert answer.status_code == 422 and 'data-testid="error-pin"' in page and 'data-testid="error-photo"' in page
