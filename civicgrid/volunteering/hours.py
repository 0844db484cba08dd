"""The one rule for showing service time: hours with at most one decimal ("2 小时", "1.5 小时"), rounded half
up from the recorded minutes. Pages, the PDF certificate, the verification page, the API and exports use it."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _


def hours_value(minutes: int | None) -> float:
    """Minutes as hours, one decimal (90 → 1.5, 100 → 1.7)."""
    exact = Decimal(int(minutes or 0)) / Decimal(60)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def hours_number(minutes: int | None) -> str:
    """The figure without a trailing ".0": "2", "1.5"."""
    return f"{hours_value(minutes):.1f}".removesuffix(".0")


def hours_text(minutes: int | None) -> str:
    return _("%(hours)s hours") % {"hours": hours_number(minutes)}
