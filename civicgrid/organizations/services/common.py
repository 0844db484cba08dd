"""Who may act on what: the office of an organization's area, or the organization's own accounts."""

from datetime import date

from django.utils.translation import gettext as _

from civicgrid.core.errors import PermissionDenied, ValidationFailed
from civicgrid.core.scoping import managed_area_of
from civicgrid.organizations.errors import NotAnOrganization
from civicgrid.organizations.models import OrgAccount, Organization


def own_organization(actor) -> Organization | None:
    """The organization the actor signs in for (None for everyone else)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    account = OrgAccount.objects.select_related("organization").filter(user_id=actor.pk).first()
    return account.organization if account else None


def require_own_organization(actor) -> Organization:
    org = own_organization(actor)
    if org is None:
        raise NotAnOrganization()
    return org


def is_office(actor) -> bool:
    return managed_area_of(actor) is not None


def office_organization(actor, organization_id, *, lock: bool = False) -> Organization:
    """An organization an office manages: 404 out of sight, 403 for those who only see it."""
    org = Organization.objects.get_managed(actor, pk=organization_id)
    if not is_office(actor):
        raise PermissionDenied()
    return Organization.objects.select_for_update().get(pk=org.pk) if lock else org


def managed_organization(actor, organization_id, *, lock: bool = False) -> Organization:
    """An organization its office or its own accounts manage."""
    org = Organization.objects.get_managed(actor, pk=organization_id)
    return Organization.objects.select_for_update().get(pk=org.pk) if lock else org


def text(value, *, field: str, limit: int, required: bool = True) -> str:
    cleaned = " ".join(str(value or "").split()) if limit <= 500 else str(value or "").strip()
    if required and not cleaned:
        raise ValidationFailed(_("This field is required."), code="required", field=field)
    if len(cleaned) > limit:
        raise ValidationFailed(_("At most %(limit)d characters.") % {"limit": limit}, code="too_long", field=field)
    return cleaned


def day(value, *, field: str, required: bool = True) -> date | None:
    if value in (None, ""):
        if required:
            raise ValidationFailed(_("This field is required."), code="required", field=field)
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed(_("Enter a date like 2026-05-01."), code="invalid_date", field=field) from None


def count(value, *, field: str, limit: int = 1_000_000) -> int:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Enter a whole number."), code="invalid_number", field=field) from None
    if not 0 <= number <= limit:
        raise ValidationFailed(_("Enter a number from 0 to %(limit)d.") % {"limit": limit}, code="invalid_number",
                               field=field)
    return number
