"""The README names pages and commands that exist (it once sent readers to `/people/`, which answered 404)."""

import re
from pathlib import Path

from django.apps import apps
from django.core.management import find_commands, get_commands
from django.urls import Resolver404, resolve

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_page_of_the_module_table_resolves():
    table = [line for line in README.read_text().splitlines() if re.match(r"\| `\w+` \| `/", line)]
    paths = [path for line in table for path in re.findall(r"`(/[^`]*/)`", line.split("|")[2])]
    assert len(paths) >= 5
    for path in paths:
        try:
            resolve(path)
        except Resolver404:
            raise AssertionError(f"README names {path}, which answers 404") from None


def test_every_path_it_names_anywhere_resolves():
    """The production section, the API paragraph and the rest: every site path written as `/…`."""
    paths = {p for p in re.findall(r"`(/[\w/.-]*)`", README.read_text())
             if p.split("/")[1] not in {"usr", "etc", "var", "opt", "tmp"}}
    assert {"/admin/", "/api/v1/docs", "/notifications/preferences/"} <= paths
    missing = set()
    for path in paths:
        try:
            resolve(path)
        except Resolver404:
            missing.add(path)
    assert not missing, f"README names paths that answer 404: {sorted(missing)}"


def test_every_civicgrid_command_it_names_exists():
    named = set(re.findall(r"(?:`|^\s*)civicgrid ([\w-]+)", README.read_text(), re.M))  # inline, or in a code block
    assert {"new_data_key", "reencrypt", "run_huey", "migrate"} <= named
    known = set(get_commands()) | {c for app in apps.get_app_configs() for c in find_commands(f"{app.path}/management")}
    assert named <= known, named - known
