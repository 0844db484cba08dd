"""What the services share: text checks and the actor's right to manage an area."""

from django.utils.translation import gettext as _

from civicgrid.accounts.models import Role
from civicgrid.core.errors import PermissionDenied, ValidationFailed
from civicgrid.core.scoping import ensure_manages
from civicgrid.territory.models import Region


def text(value, *, field: str, low: int = 1, high: int = 200, required: bool = True) -> str:
    cleaned = (value or "").strip()
    if not cleaned and not required:
        return ""
    if not low <= len(cleaned) <= high:
        raise ValidationFailed(_("Write %(low)d to %(high)d characters.") % {"low": low, "high": high},
                               code="invalid_text", field=field)
    return cleaned


def count(value, *, field: str, low: int = 0, high: int = 10**9) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Enter a whole number."), code="invalid_number", field=field) from None
    if not low <= number <= high:
        raise ValidationFailed(_("Enter a number from %(low)d to %(high)d.") % {"low": low, "high": high},
                               code="number_out_of_range", field=field)
    return number


def managed_region(actor, code: str, *, field: str = "region_code") -> Region:
    """The region by its code, managed by the actor (404 outside the area, 403 for those who only watch)."""
    region = Region.objects.filter(code=(code or "").strip()).first()
    if region is None:
        raise ValidationFailed(_("Unknown region."), code="unknown_region", field=field)
    ensure_manages(actor, region.code)
    return region


def ensure_evaluator(actor) -> None:
    """Evaluations and promotions are the subdistrict's and the district's, never the community's own."""
    if not (getattr(actor, "is_superuser", False) or getattr(actor, "role", "") in (Role.DISTRICT, Role.SUBDISTRICT)):
        raise PermissionDenied(_("Evaluations are made by the subdistrict or the district office."))
