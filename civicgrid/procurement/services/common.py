"""Checks shared by the procurement services."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.core.scoping import ensure_manages
from civicgrid.procurement.errors import WrongStage
from civicgrid.procurement.models import Purchase


def text_between(value: str, *, field: str, low: int = 2, high: int = 4000) -> str:
    text = (value or "").strip()
    if not low <= len(text) <= high:
        raise ValidationFailed(_("Write %(low)s to %(high)s characters.") % {"low": low, "high": high},
                               code=f"invalid_{field}", field=field)
    return text


def money(value, *, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationFailed(_("Give an amount in yuan."), code=f"invalid_{field}", field=field) from None
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e12"):
        raise ValidationFailed(_("Give an amount in yuan."), code=f"invalid_{field}", field=field)
    return amount


def a_date(value, *, field: str) -> date:
    if not isinstance(value, date):
        raise ValidationFailed(_("Give a date."), code=f"invalid_{field}", field=field)
    return value


def managed_purchase(actor, purchase_id: int, *, lock: bool = False) -> Purchase:
    """A purchase the actor's office manages: 404 out of sight, 403 for those who only see it."""
    queryset = Purchase.objects.visible_to(actor).filter(pk=purchase_id)
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    found = queryset.first()
    if found is None:
        raise NotFound()
    ensure_manages(actor, found.region_code)
    return found


def expect_stage(purchase: Purchase, *stages: str) -> None:
    if purchase.stage not in stages:
        raise WrongStage()
