import pytest
from django.test import Client

from civicgrid.accounts.models import ApiToken
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _token(client, username, password=PASSWORD):
    return client.post("/api/v1/auth/token", {"username": username, "password": password},
                       content_type="application/json")


def test_token_exchange_and_use(users):
    response = _token(Client(), "community-110107001003")
    assert response.status_code == 200, response.content
    raw = response.json()["token"]
    stored = ApiToken.objects.get()
    assert raw not in (stored.key_hash, stored.prefix) and len(stored.key_hash) == 64
    me = Client().get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200 and me.json()["region_code"] == "110107001003"


def test_wrong_password_is_401_with_a_code(users):
    response = _token(Client(), "community-110107001003", "wrong")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_token_endpoint_locks_out_too(users):
    client = Client()
    for _ in range(5):
        _token(client, "grid-110107001003001", "wrong")
    response = _token(client, "grid-110107001003001")
    assert response.status_code == 403
    assert response.json()["code"] == "account_locked"


def test_revoked_and_unknown_tokens_are_refused(users):
    raw = _token(Client(), "district-110107").json()["token"]
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert Client().get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert Client().get("/api/v1/auth/me", HTTP_AUTHORIZATION="Bearer cg_nonsense").status_code == 401


def test_session_auth_on_the_api_needs_csrf_for_writes(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["district"])
    assert client.get("/api/v1/auth/me").status_code == 200


def test_malformed_body_is_422_with_code(users):
    response = Client().post("/api/v1/auth/token", {"username": "x"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
