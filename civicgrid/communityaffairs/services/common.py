"""Checks shared by the community-affairs services."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from civicgrid.core.errors import NotFound, PermissionDenied, ValidationFailed
from civicgrid.core.scoping import ensure_manages, managed_area_of
from civicgrid.territory.models import Level, Region


def text(value, *, field: str, low: int = 1, high: int = 200) -> str:
    cleaned = " ".join(str(value or "").split()) if high <= 300 else str(value or "").strip()
    if not low <= len(cleaned) <= high:
        raise ValidationFailed(_("Write %(low)s to %(high)s characters.") % {"low": low, "high": high},
                               code=f"invalid_{field}", field=field)
    return cleaned


def number(value, *, field: str, low: float | None = None, high: float | None = None) -> Decimal:
    try:
        found = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationFailed(_("Give a number."), code=f"invalid_{field}", field=field) from None
    if not found.is_finite() or (low is not None and found < Decimal(str(low))) or \
            (high is not None and found > Decimal(str(high))):
        raise ValidationFailed(_("Give a number in the allowed range."), code=f"invalid_{field}", field=field)
    return found


def choice(value, choices, *, field: str) -> str:
    if value not in {c[0] for c in choices}:
        raise ValidationFailed(_("Choose one of the listed values."), code=f"invalid_{field}", field=field)
    return value


def managed_community(actor, code) -> str:
    """A community the actor manages: 404 outside the actor's area, 403 for those who only watch."""
    code = str(code or "").strip()
    if not Region.objects.filter(code=code, level=Level.COMMUNITY).exists():
        raise NotFound()
    ensure_manages(actor, code)
    return code


def managed_area(actor, code) -> str:
    """Any region the actor manages (a course or catalogue item may belong to a subdistrict or the district)."""
    code = str(code or "").strip()
    if not Region.objects.filter(code=code).exclude(level=Level.GRID).exists():
        raise NotFound()
    ensure_manages(actor, code)
    return code


def ensure_district(actor) -> str:
    """District staff (or a superuser): the standards and the assessment templates are theirs."""
    area = managed_area_of(actor)
    if area is None or len(area) > 6:
        raise PermissionDenied()
    if area == "":  # a superuser: his own district, else the first one (records need an area to be shared down)
        area = (getattr(actor, "region_code", "") or "")[:6] or \
            Region.objects.filter(level=Level.DISTRICT).order_by("code").values_list("code", flat=True).first() or ""
    return area
