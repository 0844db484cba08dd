"""Jurisdiction: a staff user sees the Region subtree under `region_code` (a materialized path)."""

from civicgrid.accounts.models import Role
from civicgrid.core.errors import NotFound


def region_prefix(actor) -> str | None:
    """The code prefix the actor may see, or None when the actor has no area (residents, units, shops)."""
    if not actor.is_authenticated:
        return None
    if actor.is_superuser:
        return ""
    if actor.role in (Role.DISTRICT, Role.SUBDISTRICT, Role.COMMUNITY, Role.GRID) and actor.region_code:
        return actor.region_code
    return None


def covers(actor, region_code: str) -> bool:
    prefix = region_prefix(actor)
    return prefix is not None and region_code.startswith(prefix)


def require_area(actor) -> str:
    """Prefix for area-scoped lists; actors without an area get an empty result rather than an error."""
    prefix = region_prefix(actor)
    if prefix is None:
        raise NotFound()
    return prefix


def ensure_covers(actor, region_code: str) -> None:
    if not covers(actor, region_code):
        raise NotFound()
