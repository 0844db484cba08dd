"""The formula-injection guard every spreadsheet export goes through."""

from datetime import date

import pytest

from civicgrid.core.exports import safe_cell, safe_row


@pytest.mark.parametrize("text", ["=1+1", "+86 138", "-2", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_text_a_spreadsheet_would_evaluate_gets_a_leading_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["王芳", "", "a=b", 42, -3.5, None, date(2026, 3, 1), True])
def test_other_values_pass_unchanged(value):
    assert safe_cell(value) == value and type(safe_cell(value)) is type(value)


def test_safe_row_guards_each_cell():
    assert safe_row(["=x", 1, "y"]) == ["'=x", 1, "y"]
