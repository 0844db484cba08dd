"""Who may act in a community: verified residents (support, vote, propose) and its managing staff."""

from civicgrid.consultation.errors import NotVerified
from civicgrid.consultation.models import HouseholdVerification
from civicgrid.core.errors import NotFound
from civicgrid.core.scoping import area_of, manages


def verification_in(actor, community_code: str) -> HouseholdVerification:
    """The actor's active verification in that community, or NotVerified (403)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotVerified()
    found = (HouseholdVerification.objects.select_related("household")
             .filter(user=actor, community_code=community_code, revoked_at__isnull=True).first())
    if found is None:
        raise NotVerified()
    return found


def is_verified_in(actor, community_code: str) -> bool:
    try:
        verification_in(actor, community_code)
    except NotVerified:
        return False
    return True


def may_manage(actor, region_code: str) -> bool:
    return manages(actor, region_code)


def staff_of(actor, community_code: str) -> bool:
    """Staff whose area encloses the community or lies inside it (its grid workers)."""
    area = area_of(actor)
    return area is not None and (community_code.startswith(area) or area.startswith(community_code))


def community_of(actor, code: str) -> str:
    """A 12-digit community code the actor may address (staff of its area or a verified resident), else 404."""
    code = (code or "").strip()
    if len(code) != 12 or not code.isdigit():
        raise NotFound()
    if staff_of(actor, code) or is_verified_in(actor, code):
        return code
    raise NotFound()
