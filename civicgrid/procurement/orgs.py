"""What procurement reads from the organizations registry, in one place: whose account belongs to which
organization, and the registry's eligibility rules."""

from __future__ import annotations

from django.db.models import Q


def organization_of(actor):
    """The organization an account of role `social_org` signs in for, or None."""
    from civicgrid.organizations.models import OrgAccount

    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    account = OrgAccount.objects.select_related("organization").filter(user_id=actor.pk).first()
    return account.organization if account is not None else None


def is_member(actor, organization) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False) or organization is None:
        return False
    from civicgrid.organizations.models import OrgAccount

    return OrgAccount.objects.filter(user_id=actor.pk, organization_id=organization.pk).exists()


def users_of(organization):
    """The user ids of an organization's accounts (a subquery)."""
    from civicgrid.organizations.models import OrgAccount

    return OrgAccount.objects.filter(organization_id=organization.pk).values("user_id")


def member_q(actor, path: str = "organization") -> Q:
    """Records of the organization(s) the actor signs in for."""
    from civicgrid.organizations.models import OrgAccount

    return Q(**{f"{path}_id__in": OrgAccount.objects.filter(user_id=getattr(actor, "pk", None))
                .values("organization_id")})


def eligibility_problems(organization, *, min_rating: int, year: int) -> list:
    from civicgrid.organizations import selectors

    return selectors.eligibility_problems(organization, min_rating=min_rating, year=year)
