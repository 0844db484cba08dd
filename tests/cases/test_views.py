"""Pages: every desk renders for its role, the desk has no N+1 queries, bulk actions, import page, inbox."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicgrid.cases.models import Case, State
from civicgrid.notifications.models import Notification
from tests.cases.conftest import IN_A, report, to_state

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_desk_query_count_does_not_grow_with_cases(users, unit, garbage, login):
    client = login(users["community_a"])
    report(users, description="路灯不亮了")
    client.get("/cases/desk/")  # warms the accuracy cache
    few = _queries(client, "/cases/desk/")
    for i in range(8):
        report(users, description=f"楼道堆物{i}") if i % 2 else report(users, category=garbage)
    assert _queries(client, "/cases/desk/") == few


def test_bulk_register_and_dispatch(users, unit, garbage, login):
    cases = [report(users, category=garbage) for _ in range(3)]
    client = login(users["community_a"])
    ids = [str(c.pk) for c in cases]
    client.post("/cases/desk/bulk/", {"action": "register", "case": ids})
    client.post("/cases/desk/bulk/", {"action": "dispatch", "case": ids})
    assert set(Case.objects.values_list("state", flat=True)) == {State.DISPATCHED}


@pytest.mark.parametrize(("who", "url"), [("resident", "/cases/report/"), ("resident", "/cases/mine/"),
                                          ("grid_a", "/cases/patrol/"), ("grid_a", "/cases/report/"),
                                          ("unit", "/cases/unit/"), ("community_a", "/cases/desk/"),
                                          ("district", "/cases/import/"), ("community_a", "/cases/"),
                                          ("resident", "/notifications/")])
def test_pages_render(users, unit, who, url, login):
    assert login(users[who]).get(url).status_code == 200


def test_resident_cannot_open_the_desk(users, login):
    assert login(users["resident"]).get("/cases/desk/").status_code == 404


def test_case_page_refusal_is_a_message_not_an_error(users, unit, garbage, login):
    case = to_state(users, report(users, category=garbage), "handling")
    client = login(users["unit"])
    answer = client.post(f"/cases/{case.pk}/act/", {"action": "reply"}, follow=True)  # no note
    assert answer.status_code == 200 and "请填写原因" in answer.content.decode()
    answer = client.post(f"/cases/{case.pk}/act/", {"action": "close"}, follow=True)
    assert answer.status_code == 200 and "没有执行此操作的权限" in answer.content.decode()
    assert Case.objects.get(pk=case.pk).state == State.HANDLING


def test_report_page_outside_district_shows_the_error(users, unit, login):
    client = login(users["resident"])
    answer = client.post("/cases/report/", {"description": "问题", "lon": "117.9", "lat": "40.9"}, follow=True)
    assert "不在本区网格范围内" in answer.content.decode() and Case.objects.count() == 0


@pytest.mark.parametrize("next_url", ["https://evil.example/phish", "//evil.example/x", "/cases/mine/"])
def test_a_refused_report_is_shown_again_never_redirected(users, unit, login, next_url):
    answer = login(users["resident"]).post("/cases/report/", {"description": "问题", "lon": "117.9", "lat": "40.9",
                                                              "next": next_url})
    assert answer.status_code == 422 and "Location" not in answer


def test_a_refused_hotline_import_never_redirects_off_site(users, unit, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("o.json", b"[]", "application/json")
    answer = login(users["community_a"]).post("/cases/import/?next=https://evil.example/", {"file": upload})
    assert answer.status_code == 302 and answer["Location"] == "/cases/import/?next=https://evil.example/"


def test_import_page_reports_rows(users, unit, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = [{"order_no": "A1", "received_at": "2026-03-02T09:00:00+08:00", "description": "暴露垃圾",
             "lon": IN_A[0], "lat": IN_A[1], "category": "nope"}]
    upload = SimpleUploadedFile("o.json", json.dumps(rows).encode(), "application/json")
    page = login(users["district"]).post("/cases/import/", {"file": upload})
    assert 'data-testid="import-errors"' in page.content.decode() and Case.objects.count() == 0


def test_inbox_marks_read(users, unit, garbage, login):
    case = report(users, category=garbage)
    to_state(users, case, "registered")
    client = login(users["resident"])
    assert 'data-testid="notification"' in client.get("/notifications/").content.decode()
    client.post("/notifications/read/")
    assert not Notification.objects.filter(user=users["resident"], read_at__isnull=True).exists()
