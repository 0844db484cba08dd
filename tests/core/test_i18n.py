from django.test import Client

from civicgrid.core import i18n


def test_every_catalogue_is_complete_and_compiled():
    assert i18n.catalogues(), "no message catalogues found"
    assert i18n.problems() == []


def test_chinese_by_default_and_english_on_request(db):
    assert "登录" in Client().get("/accounts/login/").content.decode()
    english = Client(headers={"accept-language": "en"})
    english.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = english.get("/accounts/login/").content.decode()
    assert "Sign in" in page and "登录" not in page
