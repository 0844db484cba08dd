"""Spreadsheet cells that cannot turn into formulas (CSV/formula injection, OWASP).

Excel, WPS and LibreOffice evaluate a cell whose text starts with `=`, `+`, `-` or `@` (and some read a
leading tab or carriage return the same way), so a resident named `=HYPERLINK(...)` would become a live
link in the export. A leading `'` keeps such text text. Numbers, dates and None pass through unchanged.
"""

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value` for one exported cell: strings that a spreadsheet would evaluate get a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(value) for value in values]
