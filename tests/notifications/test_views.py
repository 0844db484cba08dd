"""Inbox pages and API: own entries only, unread count in the navigation, mark read, preferences page."""

import json

import pytest
from django.db import transaction

from civicgrid.core.models import AuditEvent
from civicgrid.notifications import Recipient, publish
from civicgrid.notifications.models import Contact, Notification, Preference
from tests.notifications.conftest import MUST, TIMELY

pytestmark = pytest.mark.django_db


def _notify(user, n):
    with transaction.atomic():
        publish(kind=TIMELY.name, key=f"e{n}", recipients=[Recipient.user(user)], params={"n": n}, url="/cases/")


def test_unread_count_in_the_navigation_and_marking_read(users, login):
    for n in range(3):
        _notify(users["resident"], n)
    _notify(users["community_a"], 9)
    client = login(users["resident"])
    page = client.get("/notifications/").content.decode()
    assert page.count('data-testid="notification"') == 3 and "测试 9 号" not in page
    assert 'data-testid="inbox-link-badge">3<' in page
    one = Notification.objects.filter(user=users["resident"]).first()
    client.post("/notifications/read/", {"id": one.pk})
    assert 'data-testid="inbox-link-badge">2<' in client.get("/").content.decode()
    other = Notification.objects.get(user=users["community_a"])
    client.post("/notifications/read/", {"id": other.pk})  # not the resident's: untouched
    assert Notification.objects.get(pk=other.pk).read_at is None
    client.post("/notifications/read/")
    assert 'data-testid="inbox-link-badge"' not in client.get("/").content.decode()
    assert AuditEvent.objects.filter(action="notifications.mark_read", actor_id=users["resident"].pk).count() == 2


def test_api_lists_counts_and_marks_read(users, login):
    _notify(users["resident"], 1)
    _notify(users["resident"], 2)
    client = login(users["resident"])
    assert client.get("/api/v1/notifications/unread").json() == {"unread": 2}
    listed = client.get("/api/v1/notifications").json()
    assert [n["text"] for n in listed] == ["测试 2 号", "测试 1 号"]
    marked = client.post("/api/v1/notifications/read", {"ids": [listed[0]["id"]]}, content_type="application/json")
    assert marked.json() == {"marked": 1}
    assert client.get("/api/v1/notifications/unread").json() == {"unread": 1}
    assert login(users["community_a"]).get("/api/v1/notifications").json() == []


def test_preferences_page_saves_channels_digest_and_muting(users, login):
    client = login(users["resident"])
    page = client.get("/notifications/preferences/").content.decode()
    assert f'name="kind:{TIMELY.name}"' in page and "tests.staff_only" not in page
    response = client.post("/notifications/preferences/", {f"kind:{TIMELY.name}": ["sms"], "digest": "weekly",
                                                            "muted": "on", f"kind:{MUST.name}": []})
    assert response.status_code == 302
    assert Preference.objects.get(user=users["resident"], kind=TIMELY.name).channels == ["sms"]
    assert not Preference.objects.filter(kind=MUST.name).exists()  # mandatory kinds are not the user's to switch off
    contact = Contact.objects.get(user=users["resident"])
    assert contact.digest == "weekly" and contact.muted
    assert AuditEvent.objects.filter(action="notifications.preferences").exists()


def test_unsubscribe_link_with_a_forged_token_is_404(client):
    assert client.post("/notifications/unsubscribe/forged:token/").status_code == 404


def test_inbox_needs_sign_in(client):
    assert client.get("/notifications/").status_code == 302
    assert client.get("/api/v1/notifications").status_code == 401


def test_marking_read_refuses_a_body_that_is_not_an_object(users, login):
    from civicgrid.accounts.services import issue_token

    token = issue_token(user=users["resident"], name="t")
    answer = login(users["resident"]).post("/api/v1/notifications/read", data="[null, null]",
                                           content_type="application/json",
                                           headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 422 and answer.json()["code"] == "invalid_body"


def test_an_id_beyond_the_databases_integers_is_refused_not_a_500(users, login):
    from civicgrid.accounts.services import issue_token

    token = issue_token(user=users["resident"], name="t")
    client = login(users["resident"])
    headers = {"Authorization": f"Bearer {token}"}
    answer = client.post("/api/v1/notifications/read", {"ids": [2**70]}, content_type="application/json",
                         headers=headers)
    assert answer.status_code == 422 and answer.json()["code"] == "validation_failed"
    answer = client.get(f"/api/v1/cases/{2**70}", headers=headers)  # a path id reaches the database
    assert answer.status_code in (404, 422), answer.content
    if answer.status_code == 422:
        assert answer.json()["code"] in ("validation_failed", "number_out_of_range"), answer.json()


def test_an_overflow_the_schemas_missed_answers_in_the_error_envelope(rf):
    from civicgrid.api import number_out_of_range

    answer = number_out_of_range(rf.get("/api/v1/x"), OverflowError("Python int too large to convert"))
    body = json.loads(answer.content)
    assert answer.status_code == 422 and body["code"] == "number_out_of_range" and "超出范围" in body["message"]
