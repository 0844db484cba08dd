"""Who may act on what: team organizers, community staff, volunteers themselves, partner shops."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.models import Role
from civicgrid.accounts.scope import region_prefix
from civicgrid.core.errors import NotFound, PermissionDenied
from civicgrid.volunteering.models import Team, Volunteer

MANAGER_ROLES = (Role.DISTRICT, Role.SUBDISTRICT, Role.COMMUNITY)


class NotAVolunteer(NotFound):
    code = "not_a_volunteer"
    default_message = _("Register as a volunteer first.")


def staff_prefix(actor) -> str | None:
    """The area a district, subdistrict or community worker manages (grid workers only watch)."""
    if not getattr(actor, "is_authenticated", False):
        return None
    if actor.is_superuser:
        return ""
    return region_prefix(actor) if actor.role in MANAGER_ROLES else None


def area_q(actor, field: str = "region_code") -> Q | None:
    prefix = region_prefix(actor) if getattr(actor, "is_authenticated", False) else None
    return None if prefix is None else Q(**{f"{field}__startswith": prefix})


def managed_teams_q(actor, prefix: str = "") -> Q:
    """Teams the actor organizes: its own social-organization teams, or every team in its managed area."""
    staff = staff_prefix(actor)
    if staff is not None:
        return Q(**{f"{prefix}region_code__startswith": staff})
    if getattr(actor, "is_authenticated", False) and actor.role == Role.SOCIAL_ORG:
        return Q(**{f"{prefix}org_user": actor})
    return Q(pk__in=[])


def can_manage(actor, team: Team) -> bool:
    return Team.objects.filter(managed_teams_q(actor), pk=team.pk).exists()


def ensure_manages(actor, team: Team) -> None:
    if not can_manage(actor, team):
        raise NotFound()


def volunteer_of(actor) -> Volunteer:
    volunteer = Volunteer.objects.filter(user_id=getattr(actor, "pk", None) or 0).first()
    if volunteer is None:
        raise NotAVolunteer()
    return volunteer


def ensure_staff_covers(actor, region_code: str) -> None:
    prefix = staff_prefix(actor)
    if prefix is None:
        raise PermissionDenied()
    if not region_code.startswith(prefix):
        raise NotFound()
