"""The Django admin speaks Chinese: every app and every model has a translated name (the auditors' page shows
the same names for the objects of audit events)."""

import re

import pytest
from django.apps import apps
from django.utils import translation

PROPER_NOUNS = re.compile(r"\b(API|Open311)\b")


def _english(text) -> bool:
    return bool(re.search(r"[A-Za-z]{2,}", PROPER_NOUNS.sub("", str(text))))


def test_every_app_and_model_has_a_chinese_name():
    with translation.override("zh-hans"):
        english = [f"{config.label}: {config.verbose_name}" for config in apps.get_app_configs()
                   if config.models_module is not None and _english(config.verbose_name)
                   and config.label not in ("auth", "contenttypes", "sessions", "admin")]
        for model in apps.get_models():
            for name in (model._meta.verbose_name, model._meta.verbose_name_plural):
                if _english(name) and model._meta.app_label not in ("auth", "contenttypes", "sessions", "admin"):
                    english.append(f"{model._meta.label}: {name}")
    assert not english, english


@pytest.mark.django_db
def test_admin_index_lists_chinese_names(users, login):
    admin_user = users["district"]
    admin_user.is_superuser = admin_user.is_staff = True
    admin_user.save()
    html = login(admin_user).get("/admin/").content.decode()
    for name in ("登录锁定", "案件", "审计记录"):  # apps and models by their Chinese names
        assert name in html, name
