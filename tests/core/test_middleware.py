import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/auth/me?x=%00", "/api/v1/regions?q=a%00b"])
def test_nul_in_query_is_a_400_with_code(url):
    response = Client().get(url)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_characters"


@pytest.mark.django_db
def test_nul_in_json_body_is_refused():
    response = Client().post("/api/v1/auth/token", '{"username": "a\\u0000", "password": "x"}',
                             content_type="application/json")
    assert response.status_code == 400


@pytest.mark.django_db
def test_nul_in_a_form_is_refused():
    response = Client().post("/accounts/login/", {"username": "a\x00", "password": "x"})
    assert response.status_code == 400
