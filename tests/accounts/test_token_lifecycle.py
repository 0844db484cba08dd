"""API tokens expire, can be listed and revoked by their owner (API and page) and by an administrator, and stop
working when the password changes, while the account is locked, and when the user is deactivated."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from civicgrid.accounts import services
from civicgrid.accounts.models import ApiToken
from civicgrid.core.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Another-password-2027"


def _me(raw):
    return Client().get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}")


def _bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _token_of(raw) -> ApiToken:
    return ApiToken.objects.get(prefix=raw[:8])


def test_a_token_expires_after_the_configured_days(users, settings):
    settings.CIVICGRID_API_TOKEN_DAYS = 7
    raw = services.issue_token(user=users["district"])
    token = _token_of(raw)
    assert timedelta(days=7) - (token.expires_at - timezone.now()) < timedelta(minutes=1)
    assert _me(raw).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _me(raw).status_code == 401


def test_a_token_from_before_expiry_existed_expires_after_the_configured_days(users):
    raw = services.issue_token(user=users["district"])
    ApiToken.objects.update(expires_at=None, created_at=timezone.now() - timedelta(days=91))
    assert _me(raw).status_code == 401
    ApiToken.objects.update(created_at=timezone.now() - timedelta(days=89))
    assert _me(raw).status_code == 200


def test_the_owner_lists_only_their_own_tokens(users):
    mine = services.issue_token(user=users["community_a"], name="etl")
    services.issue_token(user=users["community_b"], name="theirs")
    listed = Client().get("/api/v1/auth/tokens", **_bearer(mine))
    assert listed.status_code == 200
    [row] = listed.json()
    assert (row["name"], row["prefix"], row["active"]) == ("etl", mine[:8], True)
    assert row["expires_at"] and row["revoked_at"] is None and mine not in listed.content.decode()


def test_the_owner_revokes_a_token_and_it_stops_working(users):
    raw = services.issue_token(user=users["community_a"])
    other = services.issue_token(user=users["community_a"], name="second")
    response = Client().delete(f"/api/v1/auth/tokens/{_token_of(other).pk}", **_bearer(raw))
    assert response.status_code == 204
    assert _me(other).status_code == 401 and _me(raw).status_code == 200
    event = AuditEvent.objects.get(action="accounts.token.revoke")
    assert event.detail["reason"] == "owner" and event.target_id == str(_token_of(other).pk)


def test_another_users_token_answers_404_and_stays_valid(users):
    mine = services.issue_token(user=users["community_a"])
    theirs = services.issue_token(user=users["community_b"])
    response = Client().delete(f"/api/v1/auth/tokens/{_token_of(theirs).pk}", **_bearer(mine))
    assert response.status_code == 404 and response.json()["code"] == "token_not_found"
    assert _me(theirs).status_code == 200
    assert Client().delete("/api/v1/auth/tokens/999999", **_bearer(mine)).status_code == 404


def test_the_tokens_page_lists_and_revokes_own_tokens(users, login):
    raw = services.issue_token(user=users["community_a"], name="报表同步")
    theirs = services.issue_token(user=users["community_b"], name="别人的")
    client = login(users["community_a"])
    page = client.get("/accounts/tokens/").content.decode()
    assert "报表同步" in page and raw[:8] in page and "别人的" not in page and raw not in page
    assert client.post(f"/accounts/tokens/{_token_of(theirs).pk}/revoke/").status_code == 404
    assert client.post(f"/accounts/tokens/{_token_of(raw).pk}/revoke/").status_code == 302
    assert _me(raw).status_code == 401 and _me(theirs).status_code == 200
    assert "已吊销" in client.get("/accounts/tokens/").content.decode()


def test_changing_the_password_revokes_the_tokens(users):
    raw = services.issue_token(user=users["grid_a"])
    services.change_password(user=users["grid_a"], old_password=PASSWORD, new_password=NEW_PASSWORD)
    assert _me(raw).status_code == 401
    assert AuditEvent.objects.get(action="accounts.token.revoke").detail["reason"] == "password_change"
    assert AuditEvent.objects.get(action="accounts.password.change").detail["tokens_revoked"] == 1


def test_changing_the_password_on_the_page_revokes_the_tokens(users, login):
    raw = services.issue_token(user=users["grid_a"])
    client = login(users["grid_a"])
    response = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                                   "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert _me(raw).status_code == 401
    assert client.get("/").status_code == 200  # the session itself survives its own password change
    users["grid_a"].refresh_from_db()
    assert users["grid_a"].check_password(NEW_PASSWORD)


def test_setting_a_password_in_the_admin_goes_through_the_service(users, admin_client):
    grid = users["grid_a"]
    raw = services.issue_token(user=grid)
    response = admin_client.post(f"/admin/accounts/user/{grid.pk}/password/", {
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    grid.refresh_from_db()
    assert grid.check_password(NEW_PASSWORD) and grid.password_changed_at is not None
    assert _me(raw).status_code == 401
    event = AuditEvent.objects.get(action="accounts.password.set")
    assert event.actor_name == "admin" and event.target_id == str(grid.pk) and event.detail["tokens_revoked"] == 1


def test_a_locked_account_is_refused_while_locked(users):
    raw = services.issue_token(user=users["grid_a"])
    attempt = AccessAttempt.objects.create(username=users["grid_a"].username, failures_since_start=5, user_agent="",
                                           ip_address="10.0.0.1", http_accept="", path_info="/accounts/login/",
                                           get_data="", post_data="")
    assert _me(raw).status_code == 401
    attempt.delete()  # unlocked (as after the cool-off): the token, never revoked here, works again
    assert _me(raw).status_code == 200


def test_the_lockout_revokes_the_tokens(users):
    raw = services.issue_token(user=users["grid_a"])
    for _ in range(5):
        Client().post("/accounts/login/", {"username": users["grid_a"].username, "password": "wrong"})
    AccessAttempt.objects.all().delete()
    assert _me(raw).status_code == 401
    event = AuditEvent.objects.get(action="accounts.token.revoke")
    assert event.detail["reason"] == "locked_out" and event.actor_name == ""


def test_a_deactivated_users_tokens_fail(users):
    raw = services.issue_token(user=users["grid_a"])
    users["grid_a"].is_active = False
    users["grid_a"].save()
    assert _me(raw).status_code == 401


def test_an_admin_revokes_a_token_audited(users, admin_client):
    raw = services.issue_token(user=users["grid_a"])
    response = admin_client.post("/admin/accounts/apitoken/", {"action": "revoke",
                                                                "_selected_action": [_token_of(raw).pk]})
    assert response.status_code == 302
    assert _me(raw).status_code == 401
    event = AuditEvent.objects.get(action="accounts.token.revoke")
    assert (event.actor_name, event.detail["reason"]) == ("admin", "admin")
    assert event.detail["owner"] == users["grid_a"].username
