"""Who may do what to a case. Visibility (404) is decided by selectors; these answer 'may this visible
actor take this action' and raise PermissionDenied (403) otherwise."""

from civicgrid.accounts.models import Role
from civicgrid.core.errors import PermissionDenied
from civicgrid.core.scoping import covers

DISPATCH_ROLES = {Role.DISTRICT, Role.SUBDISTRICT, Role.COMMUNITY}
VERIFY_ROLES = {Role.GRID, Role.COMMUNITY}
AREA_ROLES = {Role.DISTRICT, Role.SUBDISTRICT, Role.COMMUNITY, Role.GRID}


def in_area(actor, case, roles=AREA_ROLES) -> bool:
    if getattr(actor, "is_superuser", False):
        return True
    return actor.is_authenticated and actor.role in roles and covers(actor, case.region_code)


def is_unit_member(actor, case) -> bool:
    return (actor.is_authenticated and actor.role == Role.HANDLING_UNIT and case.unit_id is not None
            and case.unit.members.filter(pk=actor.pk).exists())


def is_reporter(actor, case) -> bool:
    return actor.is_authenticated and (case.reporter_id == actor.pk or case.followers.filter(user=actor).exists())


# action -> predicate(actor, case)
RULES = {
    "register": lambda a, c: in_area(a, c, DISPATCH_ROLES | {Role.GRID}),
    "reject": lambda a, c: in_area(a, c, DISPATCH_ROLES),
    "dispatch": lambda a, c: in_area(a, c, DISPATCH_ROLES),
    "redispatch": lambda a, c: in_area(a, c, DISPATCH_ROLES),
    # A unit asks to return a case (services.requests); the dispatcher takes it back.
    "return": lambda a, c: in_area(a, c, DISPATCH_ROLES),
    "accept": is_unit_member,
    "reply": is_unit_member,
    "verify": lambda a, c: in_area(a, c, VERIFY_ROLES),
    "rework": lambda a, c: in_area(a, c, VERIFY_ROLES),
    "close": lambda a, c: in_area(a, c, DISPATCH_ROLES),
    "park": lambda a, c: in_area(a, c, DISPATCH_ROLES),
    "resume": lambda a, c: in_area(a, c, DISPATCH_ROLES),
    "void": lambda a, c: in_area(a, c, DISPATCH_ROLES),
    "merge": lambda a, c: in_area(a, c, DISPATCH_ROLES),
    "urgent": lambda a, c: in_area(a, c, DISPATCH_ROLES),
    "rate": is_reporter,
    "reopen": is_reporter,
    "comment": lambda a, c: in_area(a, c) or is_unit_member(a, c) or is_reporter(a, c),
    "moderate": lambda a, c: in_area(a, c, DISPATCH_ROLES),  # publish or refuse publication (not a transition)
}


def may(actor, action: str, case) -> bool:
    return RULES[action](actor, case)


def ensure_may(actor, action: str, case) -> None:
    if not may(actor, action, case):
        raise PermissionDenied()
