"""Jurisdiction, deadlines on the holiday calendar, routing, duplicates and merging, the deadline sweep,
photos, hotline import, follow by number, suggestion and notifications."""

import io
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from civicgrid.cases import duplicates, routing, selectors, services, suggest
from civicgrid.cases.models import Case, CasePhoto, Category, Follower, RoutingRule, State
from civicgrid.core.errors import NotFound, PermissionDenied, ValidationFailed
from civicgrid.notifications.models import Message, Notification
from tests.cases.conftest import IN_A, IN_B, OUTSIDE, jpeg_with_gps, report, to_state

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_other_community_case_is_404_in_service_api_and_page(users, unit, garbage, login):
    case_b = report(users, where=IN_B, category=garbage)
    with pytest.raises(NotFound):
        selectors.get_case(actor=users["community_a"], case_id=case_b.pk)
    with pytest.raises(NotFound):
        services.register(actor=users["community_a"], case_id=case_b.pk)
    client = login(users["community_a"])
    assert client.get(f"/api/v1/cases/{case_b.pk}").status_code == 404
    assert client.post(f"/api/v1/cases/{case_b.pk}/actions/register", {}, content_type="application/json"
                       ).status_code == 404
    assert client.get(f"/cases/{case_b.pk}/").status_code == 404
    assert client.post(f"/cases/{case_b.pk}/act/", {"action": "register"}).status_code == 404
    assert case_b.pk not in [c["id"] for c in client.get("/api/v1/cases").json()["items"]]
    assert login(users["community_b"]).get(f"/cases/{case_b.pk}/").status_code == 200
    assert login(users["district"]).get(f"/api/v1/cases/{case_b.pk}").status_code == 200


def test_unit_sees_only_cases_dispatched_to_it(users, unit, garbage, login):
    mine = to_state(users, report(users, category=garbage), "dispatched")
    waiting = report(users, category=garbage)
    assert list(selectors.visible_cases(users["unit"])) == [mine]
    assert list(selectors.visible_cases(users["other_unit"])) == []
    assert login(users["other_unit"]).get(f"/cases/{mine.pk}/").status_code == 404
    assert login(users["unit"]).get(f"/api/v1/cases/{waiting.pk}").status_code == 404
    assert login(users["unit"]).get("/cases/unit/").content.decode().count("data-testid=\"case-row-") == 1


def test_resident_sees_only_his_own(users, unit, garbage, login):
    from tests.conftest import make_user

    own = report(users, category=garbage)
    other = make_user("resident-2", "resident")
    assert selectors.visible_cases(other).count() == 0
    assert login(other).get(f"/cases/{own.pk}/").status_code == 404
    with pytest.raises(NotFound):
        services.rate(actor=other, case_id=own.pk, satisfaction="satisfied", resolved=True)


def test_deadline_skips_national_day_holiday(users, unit, garbage):
    case = report(users, category=garbage)  # 暴露垃圾: 1 working day
    start = datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)
    assert routing.deadline_for(case, start) == datetime(2026, 10, 8, 10, 0, tzinfo=SHANGHAI)
    case.category = Category.objects.get(code="0403")  # 乱停车: 4 working hours
    assert routing.deadline_for(case, start) == datetime(2026, 9, 30, 15, 0, tzinfo=SHANGHAI)
    late = datetime(2026, 9, 30, 17, 0, tzinfo=SHANGHAI)
    assert routing.deadline_for(case, late) == datetime(2026, 10, 8, 12, 0, tzinfo=SHANGHAI)
    case.urgent, case.category = True, garbage
    assert routing.deadline_for(case, start) == datetime(2026, 9, 30, 15, 0, tzinfo=SHANGHAI)


def test_routing_prefers_longest_region_prefix_then_default(users, unit, garbage):
    other = users["other_unit"].handling_units.get()
    assert routing.route(garbage, "110107002001001") == unit  # the major category's default
    RoutingRule.objects.create(category=garbage.parent, region_prefix="110107002", unit=other)
    assert routing.route(garbage, "110107002001001") == other
    assert routing.route(garbage, "110107001003001") == unit
    RoutingRule.objects.create(category=garbage, region_prefix="110107002001", unit=unit)
    assert routing.route(garbage, "110107002001001") == unit


def test_duplicates_within_radius_and_days_then_merge_notifies_both(users, unit, garbage):
    first = report(users, category=garbage, phone="13800000001")
    near = services.report_case(actor=users["grid_a"], channel="patrol", description="垃圾堆", lon=IN_A[0] + 0.0005,
                                lat=IN_A[1], category_id=garbage.pk)
    far = report(users, where=(IN_A[0] + 0.003, IN_A[1]), category=garbage)
    old = report(users, category=garbage)
    Case.objects.filter(pk=old.pk).update(reported_at=timezone.now() - timedelta(days=9))
    other_category = report(users, category=Category.objects.get(code="0403"))
    found = [c.pk for c, _d in duplicates.candidates(first)]
    assert found == [near.pk]
    assert far.pk not in found and old.pk not in found and other_category.pk not in found
    merged = services.merge(actor=users["community_a"], case_id=first.pk, into_id=near.pk)
    assert merged.state == State.VOID and merged.merged_into_id == near.pk
    assert Follower.objects.filter(case=near, user=users["resident"]).exists()
    assert Follower.objects.filter(case=near, phone_masked="138****0001").exists()
    services.dispatch(actor=users["community_a"], case_id=near.pk)
    assert Notification.objects.filter(user=users["resident"], url=f"/cases/{near.pk}/").exists()
    assert Message.objects.filter(recipient_masked="138****0001", kind="cases.outcome").exists()
    assert "13800000001" not in str(list(Message.objects.values()))


def test_merge_into_a_closed_case_is_refused(users, unit, garbage):
    closed = to_state(users, report(users, category=garbage), "closed")
    fresh = report(users, category=garbage)
    with pytest.raises(Exception) as refused:
        services.merge(actor=users["community_a"], case_id=fresh.pk, into_id=closed.pk)
    assert getattr(refused.value, "code", "") == "merge_target_invalid"


def test_deadline_sweep_flags_and_escalates_once(users, unit, garbage):
    case = to_state(users, report(users, category=garbage), "dispatched")
    Case.objects.filter(pk=case.pk).update(deadline=timezone.now() - timedelta(hours=1))
    assert services.sweep_deadlines() == 1
    assert services.sweep_deadlines() == 0
    case.refresh_from_db()
    assert case.overdue and case.escalated_at
    assert case.events.filter(kind="escalate").count() == 1
    assert Notification.objects.filter(user=users["district"], kind="cases.overdue").count() == 1


def test_photo_exif_and_gps_are_stripped_with_thumbnail(users, unit, garbage):
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif()
    case = report(users, category=garbage, photos=[SimpleUploadedFile("p.jpg", raw, "image/jpeg")])
    photo = CasePhoto.objects.get(case=case)
    for stored in (photo.image, photo.thumbnail):
        data = stored.read()
        assert not Image.open(io.BytesIO(data)).getexif() and b"Exif" not in data and b"TestCam" not in data
    assert photo.width == 64


@pytest.mark.parametrize("payload", [b"not an image", b"GIF89a" + b"\0" * 100])
def test_bad_photo_is_refused_and_nothing_is_written(users, unit, garbage, payload):
    with pytest.raises(ValidationFailed) as refused:
        report(users, category=garbage, photos=[SimpleUploadedFile("p.jpg", payload, "image/jpeg")])
    assert refused.value.code == "invalid_photo" and Case.objects.count() == 0


def test_location_outside_the_district_or_unknown_address(users, unit, garbage):
    with pytest.raises(ValidationFailed) as outside:
        report(users, where=OUTSIDE, category=garbage)
    assert outside.value.code == "outside_district"
    with pytest.raises(ValidationFailed) as unknown:
        services.report_case(actor=users["resident"], channel="resident", description="垃圾", address="火星路1号")
    assert unknown.value.code == "address_not_found"


def test_hotline_import_all_or_nothing_with_row_report(users, unit, garbage):
    good = {"order_no": "H1", "received_at": "2026-03-02T09:00:00+08:00", "description": "楼道堆物",
            "phone": "13900001111", "lon": IN_A[0], "lat": IN_A[1], "category": "0104"}
    bad = [good, {**good, "order_no": "H2", "lon": OUTSIDE[0], "lat": OUTSIDE[1]},
           {**good, "order_no": "H1"}, {**good, "order_no": "H4", "category": "9999"}]
    result = services.import_hotline(actor=users["district"], name="orders.json", data=json.dumps(bad).encode())
    assert result["created"] == 0 and Case.objects.count() == 0
    assert [(e["row"], e["code"]) for e in result["errors"]] == [(3, "outside_district"), (4, "duplicate_order"),
                                                                 (5, "unknown_category")]
    csv_text = "order_no,received_at,description,phone,lon,lat,address,category,urgent\n" \
               f"H1,2026-03-02 09:00,楼道堆物,13900001111,{IN_A[0]},{IN_A[1]},,0104,是\n"
    result = services.import_hotline(actor=users["district"], name="orders.csv", data=csv_text.encode())
    assert result == {"created": 1, "unchanged": 0, "errors": []}
    case = Case.objects.get()
    assert case.channel == "hotline" and case.external_id == "H1" and case.urgent and case.reporter is None
    with pytest.raises(PermissionDenied):
        services.import_hotline(actor=users["community_a"], name="orders.csv", data=csv_text.encode())


def test_hotline_import_from_xlsx(users, unit, garbage):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["order_no", "received_at", "description", "lon", "lat", "category"])
    book.active.append(["X1", datetime(2026, 3, 2, 9), "暴露垃圾", IN_A[0], IN_A[1], "0101"])
    out = io.BytesIO()
    book.save(out)
    assert services.import_hotline(actor=users["district"], name="o.xlsx", data=out.getvalue())["created"] == 1


def test_follow_without_login_by_number_and_last_four(users, unit, garbage, client):
    case = report(users, category=garbage, phone="13812345678")
    page = client.get("/cases/follow/", {"number": case.number, "last4": "5678"})
    assert page.status_code == 200 and 'data-testid="follow-result"' in page.content.decode()
    wrong = client.get("/cases/follow/", {"number": case.number, "last4": "0000"})
    assert 'data-testid="follow-result"' not in wrong.content.decode()


def test_suggestion_keywords_then_learned_with_accuracy(users, unit, garbage):
    parking = Category.objects.get(code="0403")
    assert suggest.suggest("楼下有人乱停车").category == parking
    for i in range(12):
        for text, category in (("门口一堆东西好多天了", garbage), ("车子挡住了出口", parking)):
            case = report(users, category=category, description=f"{text}{i}")
            services.register(actor=users["community_a"], case_id=case.pk)
            services.dispatch(actor=users["community_a"], case_id=case.pk)
    suggest.forget()
    learned = suggest.suggest("车子又挡住出口")
    assert learned.source == "learned" and learned.category == parking
    accuracy = suggest.accuracy(holdout=0.25)
    assert accuracy.held_out == 6 and accuracy.learned == 1.0


def test_api_report_and_act(users, unit, garbage, login):
    resident = login(users["resident"])
    created = resident.post("/api/v1/cases", {"description": "垃圾没人收", "lon": IN_A[0], "lat": IN_A[1],
                                              "category_id": garbage.pk}, content_type="application/json")
    assert created.status_code == 201
    case_id = created.json()["id"]
    community = login(users["community_a"])
    refused = community.post(f"/api/v1/cases/{case_id}/actions/dispatch", {}, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["code"] == "illegal_transition"
    ok = community.post(f"/api/v1/cases/{case_id}/actions/register", {}, content_type="application/json")
    assert ok.json()["state"] == "registered"
    detail = community.get(f"/api/v1/cases/{case_id}").json()
    assert "dispatch" in detail["actions"] and [e["kind"] for e in detail["events"]] == ["report", "register"]
    assert community.get(f"/api/v1/cases/{case_id}/suggestion").json()["unit_id"] == unit.pk


def test_parked_case_review_reminder_once_per_review_date(users, unit, garbage):
    case = to_state(users, report(users, category=garbage), "registered")
    review = timezone.localdate() + timedelta(days=30)
    services.park(actor=users["community_a"], case_id=case.pk, note="需纳入预算", review_on=review)
    assert services.remind_park_reviews() == 0
    assert services.remind_park_reviews(today=review) == 1
    assert services.remind_park_reviews(today=review) == 0
    reminder = Notification.objects.get(user=users["community_a"], kind="cases.park_review", text__contains=case.number)
    assert "复核" in reminder.text


def test_photos_are_served_only_within_scope(users, unit, garbage, login):
    case = report(users, category=garbage, photos=[SimpleUploadedFile("p.jpg", jpeg_with_gps(), "image/jpeg")])
    photo = CasePhoto.objects.get(case=case)
    own = login(users["resident"]).get(f"/cases/photos/{photo.pk}/thumb/")
    assert own.status_code == 200 and own["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(own.streaming_content))).size[0] <= 320
    assert login(users["community_a"]).get(f"/cases/photos/{photo.pk}/").status_code == 200
    assert login(users["community_b"]).get(f"/cases/photos/{photo.pk}/").status_code == 404


def test_follow_refuses_after_five_wrong_guesses_even_the_right_one(users, unit, garbage, client):
    case = report(users, category=garbage, phone="13812345678")
    for guess in ("0000", "1111", "2222", "3333", "4444"):
        wrong = client.get("/cases/follow/", {"number": case.number, "last4": guess})
        assert wrong.status_code == 200 and 'data-testid="follow-result"' not in wrong.content.decode()
    refused = client.get("/cases/follow/", {"number": case.number, "last4": "5678"})
    assert refused.status_code == 429 and 'data-testid="follow-result"' not in refused.content.decode()
    other = report(users, category=garbage, phone="13812345678")
    assert 'data-testid="follow-result"' in client.get(
        "/cases/follow/", {"number": other.number, "last4": "5678"}).content.decode()


def test_follow_refuses_one_address_guessing_across_cases(users, unit, garbage, client):
    case = report(users, category=garbage, phone="13812345678")
    for n in range(30):
        client.get("/cases/follow/", {"number": f"C{900000 + n}", "last4": "5678"})
    assert client.get("/cases/follow/", {"number": case.number, "last4": "5678"}).status_code == 429


def test_photo_files_of_a_rolled_back_report_are_swept_later(users, unit, garbage, settings, tmp_path):
    from django.db import transaction

    from civicgrid.cases import photos

    settings.MEDIA_ROOT = str(tmp_path)
    kept = report(users, category=garbage, photos=[SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg")])
    with pytest.raises(ValidationFailed):  # photos are cleaned before the transaction: nothing is written
        report(users, category=garbage, photos=[SimpleUploadedFile("b.jpg", jpeg_with_gps(), "image/jpeg"),
                                                SimpleUploadedFile("c.jpg", b"not an image", "image/jpeg")])
    assert len([p for p in (tmp_path / "cases").rglob("*") if p.is_file()]) == 2
    with pytest.raises(RuntimeError), transaction.atomic():  # a report rolled back after its photo was stored
        report(users, category=garbage, photos=[SimpleUploadedFile("b.jpg", jpeg_with_gps(), "image/jpeg")])
        raise RuntimeError("the caller's transaction fails")
    stored = [p for p in (tmp_path / "cases").rglob("*") if p.is_file()]
    assert len(stored) == 4  # image and thumbnail of the kept report, and of the rolled-back one
    assert photos.sweep_orphans() == 0  # too young: a report may still be in its transaction
    assert photos.sweep_orphans(now=timezone.now() + timedelta(days=2)) == 2
    photo = CasePhoto.objects.get(case=kept)
    left = sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "cases").rglob("*") if p.is_file())
    assert left == sorted([photo.image.name, photo.thumbnail.name])
