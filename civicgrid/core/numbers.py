"""Numbers as a Chinese office writes them: rates as percentages with one decimal (79.7%), counts with
thousands separators (560,000). Templates use the `percent` and `thousands` filters (`{% load numbers %}`);
exports and chart labels call these functions."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MISSING = "—"


def percent_value(share: float | None) -> float | None:
    """A share (0.7968) as a percentage rounded half-up to one decimal (79.7), or None."""
    if share is None:
        return None
    return float((Decimal(str(share)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def percent(share: float | None) -> str:
    """0.7968 → "79.7%"; None (no denominator) → "—"."""
    value = percent_value(share)
    return MISSING if value is None else f"{value:.1f}%"


def thousands(number: float | int | None, decimals: int = 0) -> str:
    """560000 → "560,000"; 1234.5 with decimals=1 → "1,234.5"; None → "—"."""
    if number is None or number == "":
        return MISSING
    return f"{float(number):,.{decimals}f}" if decimals else f"{round(float(number)):,}"
