"""safe_next: a user-supplied `next` is followed only when it stays on this site."""

import pytest
from django.test import RequestFactory

from civicgrid.core.redirects import safe_next


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/a", "http://testserver.evil.example/",
                                    "javascript:alert(1)", "https:///evil.example", "/\\evil.example", ""])
def test_off_site_or_empty_next_gives_the_fallback(target):
    request = RequestFactory().post("/x/", {"next": target})
    assert safe_next(request, "/cases/") == "/cases/"


@pytest.mark.parametrize("target", ["/cases/1/", "/cases/?state=reported", "http://testserver/cases/"])
def test_local_next_is_followed(target):
    assert safe_next(RequestFactory().post("/x/", {"next": target}), "/cases/") == target


def test_query_string_next_and_named_fallback():
    assert safe_next(RequestFactory().get("/x/", {"next": "/people/"}), "/cases/") == "/people/"
    assert safe_next(RequestFactory().get("/x/"), "cases:desk") == "/cases/desk/"


def test_an_http_next_is_refused_on_an_https_request():
    request = RequestFactory().post("/x/", {"next": "http://testserver/cases/"}, secure=True)
    assert safe_next(request, "/cases/") == "/cases/"


@pytest.mark.django_db
def test_sign_in_ignores_an_external_next(users, client):
    from tests.conftest import PASSWORD

    answer = client.post("/accounts/login/?next=https://evil.example/", {
        "username": users["resident"].username, "password": PASSWORD, "next": "https://evil.example/"})
    assert answer.status_code == 302 and answer["Location"] == "/"
