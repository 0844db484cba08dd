"""`civicgrid new_data_key`: the command the README gives for CIVICGRID_DATA_KEYS prints a key the settings accept."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civicgrid.core import crypto


def test_prints_a_key_that_parses_and_differs_each_time(capsys):
    call_command("new_data_key", "k2")
    call_command("new_data_key", "k3")
    first, second = capsys.readouterr().out.split()
    assert first[3:] != second[3:] and first.startswith("k2:") and len(first) == 3 + 64
    (key,) = crypto.parse_keys(first)
    assert key.key_id == "k2"
    assert len(crypto.parse_keys(f"{second},{first}")) == 2  # the rotation value of the README


def test_refuses_an_id_the_settings_would_refuse():
    with pytest.raises(CommandError, match="not a usable key id"):
        call_command("new_data_key", "k 2")
