"""Rates and counts as a Chinese office writes them, in Python and in templates."""

import pytest
from django.template import Context, Template

from civicgrid.core.numbers import percent, percent_value, thousands


@pytest.mark.parametrize(("share", "shown"), [(0.7968, "79.7%"), (0.75, "75.0%"), (1, "100.0%"), (0, "0.0%"),
                                              (0.66665, "66.7%"), (0.00049, "0.0%"), (None, "—")])
def test_percent_has_one_decimal(share, shown):
    assert percent(share) == shown


def test_percent_value_rounds_half_up():
    assert percent_value(0.12345) == 12.3 and percent_value(0.1235) == 12.4 and percent_value(None) is None


@pytest.mark.parametrize(("number", "decimals", "shown"), [(560000, 0, "560,000"), (999, 0, "999"),
                                                           (1234.5, 1, "1,234.5"), (1234.5, 0, "1,234"),
                                                           (None, 0, "—")])
def test_thousands(number, decimals, shown):
    assert thousands(number, decimals) == shown


def test_template_filters():
    rendered = Template("{% load numbers %}{{ a|percent }} {{ b|percent }} {{ n|thousands }} {{ x|thousands:1 }} "
                        "{{ bad|percent }}").render(Context({"a": 0.797, "b": None, "n": 1234567, "x": 12.34,
                                                             "bad": "abc"}))
    assert rendered == "79.7% — 1,234,567 12.3 —"
