import time

import pytest
from django.test import Client

from civicgrid.accounts import services
from civicgrid.accounts.models import Role
from civicgrid.core.errors import ValidationFailed
from civicgrid.core.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password,code", [("Short-1a", "weak_password"), ("alllowercaseletters", "weak_password"),
                                           ("lowercase123456", "weak_password")])
def test_password_policy_rejects_weak_passwords(password, code):
    with pytest.raises(ValidationFailed) as caught:
        services.create_user(actor=None, username="newbie", password=password, role=Role.RESIDENT)
    assert caught.value.code == code


def test_password_policy_accepts_three_classes():
    user = services.create_user(actor=None, username="newbie", password="Lowercase123456", role=Role.RESIDENT)
    assert user.check_password("Lowercase123456")
    assert AuditEvent.objects.filter(action="accounts.user.create", target_id=str(user.pk)).exists()


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_lockout_after_five_failures_even_with_the_right_password(users):
    client = Client()
    for _ in range(4):
        assert _login(client, "community-110107001003", "wrong-password").status_code == 200
    assert _login(client, "community-110107001003", "wrong-password").status_code == 403  # fifth failure locks
    response = _login(client, "community-110107001003", PASSWORD)
    assert response.status_code == 403
    assert "account_locked" in response.content.decode()
    # another account is not affected
    assert _login(Client(), "community-110107002001", PASSWORD).status_code == 302


def test_lockout_expires_after_the_cool_off(users, settings):
    from axes.models import AccessAttempt

    client = Client()
    for _ in range(5):
        _login(client, "grid-110107001003001", "nope")
    assert _login(client, "grid-110107001003001", PASSWORD).status_code == 403
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time.replace(year=2000))
    assert _login(client, "grid-110107001003001", PASSWORD).status_code == 302


def test_successful_login_is_audited(users):
    assert _login(Client(), "district-110107", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="accounts.login", actor_name="district-110107").exists()


def _signed_in(users):
    client = Client()
    assert _login(client, "district-110107", PASSWORD).status_code == 302
    return client


def test_idle_timeout_ends_the_session(users, settings):
    client = _signed_in(users)
    assert client.get("/").status_code == 200
    session = client.session
    session["civicgrid_seen_at"] = time.time() - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    assert client.get("/").status_code == 302


def test_absolute_timeout_ends_an_active_session(users, settings):
    client = _signed_in(users)
    session = client.session
    session["civicgrid_login_at"] = time.time() - settings.SESSION_ABSOLUTE_TIMEOUT - 5
    session["civicgrid_seen_at"] = time.time()
    session.save()
    assert client.get("/").status_code == 302


def test_activity_keeps_the_session(users):
    client = _signed_in(users)
    for _ in range(3):
        assert client.get("/").status_code == 200


def test_login_form_requires_csrf(users):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "district-110107", "password": PASSWORD})
    assert response.status_code == 403


def test_logout_is_post_only(users, login):
    client = login(users["district"])
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_secure_cookie_flags_outside_debug():
    from django.conf import settings as live

    from civicgrid import settings as prod

    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE and prod.SESSION_COOKIE_HTTPONLY
    assert live.SESSION_COOKIE_AGE == 12 * 3600 and live.SESSION_IDLE_TIMEOUT == 30 * 60
