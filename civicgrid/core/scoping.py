"""Jurisdiction, decided in one place: who sees and who manages which records.

Every record of civicgrid belongs to an area (a `Region` code, a materialized path: district 110107, subdistrict
110107001, community 110107001003, grid 110107001003001), to a person without an area (a resident, a handling unit,
a shop, a social organization), or to both. A model says where its area and its owners are, once:

    class Case(models.Model):
        region_code = models.CharField(max_length=15)
        objects = ScopedManager(region="region_code", owner=lambda actor: Q(reporter=actor))

and every read goes through the manager:

    Case.objects.visible_to(actor)            # staff of an enclosing area, or an owner
    Case.objects.managed_by(actor)            # district/subdistrict/community staff of an enclosing area
    Case.objects.get_visible(actor, pk=7)     # the record, or NotFound (404) when it is outside
    Case.objects.within("110107001")          # a subtree, for code that acts for the system, not for a person

Rules:
- Outside the actor's jurisdiction a record does not exist: `NotFound` (404), never 403. A visible record the
  actor may not act on is `PermissionDenied` (403), decided by the module's services.
- Area staff (district, subdistrict, community, grid) see the subtree under their region code; a superuser sees
  everything. Grid workers see their grids but manage nothing (`managed_by`).
- Owners: `owner(actor) -> Q` names the records a person sees although they have no area (their own case, their
  volunteer profile, their shop, the cases dispatched to their unit). `manager(actor) -> Q` names records a
  person without an area manages (a social organization's own teams).
- `through="case"`: a child record (a case's photos, a shift of an activity) follows its parent's rules.
- `shared_down=True`: a record made for an area is also visible to staff inside that area (a district-wide
  analysis is read by a community worker), never to staff of a neighbouring area.
- Anonymous users see nothing through a manager; what is public is public by decision: a module lists its
  public routes (`PUBLIC_ROUTES` in its urls.py, each with its reason) and reads public data through a
  dedicated queryset method (e.g. `Case.objects.published()`).

`tests/security/test_routes.py` enumerates every URL pattern and API operation and proves these rules for
anonymous users, residents, workers of another community and units a case was not dispatched to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q

from civicgrid.core.errors import NotFound, PermissionDenied

OwnerRule = Callable[[Any], Q]


def area_of(actor) -> str | None:
    """The region code prefix an actor sees: '' for a superuser, None for people without an area."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor.area_code


def managed_area_of(actor) -> str | None:
    """The region code prefix an actor manages (grid workers watch but do not manage)."""
    area = area_of(actor)
    return area if area is not None and actor.manages_area else None


def covers(actor, region_code: str) -> bool:
    area = area_of(actor)
    return area is not None and region_code.startswith(area)


def manages(actor, region_code: str) -> bool:
    area = managed_area_of(actor)
    return area is not None and region_code.startswith(area)


def ensure_covers(actor, region_code: str) -> None:
    """A region outside the actor's area answers 404."""
    if not covers(actor, region_code):
        raise NotFound()


def ensure_manages(actor, region_code: str) -> None:
    """404 outside the actor's area; 403 inside it for those who only watch (grid workers, residents)."""
    if managed_area_of(actor) is None:
        raise PermissionDenied()
    if not manages(actor, region_code):
        raise NotFound()


def ancestor_prefixes(code: str) -> list[str]:
    """The codes of the regions enclosing `code` (6, 9, 12 digits), itself excluded."""
    return [code[:n] for n in (6, 9, 12) if n < len(code)]


@dataclass(frozen=True)
class Scope:
    region: str | None = "region_code"  # None: records of people only (an inbox), seen by their owners
    owner: OwnerRule | None = None
    manager: OwnerRule | None = None
    shared_down: bool = False
    through: str | None = None  # a child record (a case's photo) is visible exactly when its parent is


class ScopedQuerySet(models.QuerySet):
    @property
    def scope(self) -> Scope:
        return self.model._scope  # set by ScopedManager.contribute_to_class

    def _parent(self):
        return self.model._meta.get_field(self.scope.through).related_model._default_manager

    def within(self, code: str) -> ScopedQuerySet:
        """The records in the subtree under `code` ('' is everything)."""
        if self.scope.through:
            return self.filter(**{f"{self.scope.through}__in": self._parent().within(code).values("pk")})
        if self.scope.region is None:
            raise TypeError(f"{self.model.__name__} has no region")
        return self.filter(**{f"{self.scope.region}__startswith": code}) if code else self.all()

    def within_any(self, codes) -> ScopedQuerySet:
        """The records in any of the subtrees under `codes` (none when `codes` is empty)."""
        codes = list(codes)
        if not codes:
            return self.none()
        if "" in codes:
            return self.within("")
        if self.scope.through:
            return self.filter(**{f"{self.scope.through}__in": self._parent().within_any(codes).values("pk")})
        if self.scope.region is None:
            raise TypeError(f"{self.model.__name__} has no region")
        area = Q()
        for code in codes:
            area |= Q(**{f"{self.scope.region}__startswith": code})
        return self.filter(area)

    def _area_q(self, area: str, *, shared_down: bool) -> Q:
        q = Q(**{f"{self.scope.region}__startswith": area})
        if shared_down:
            q |= Q(**{f"{self.scope.region}__in": ancestor_prefixes(area)})
        return q

    def visible_to(self, actor) -> ScopedQuerySet:
        """Staff of an enclosing area (and, when shared down, staff inside the record's area), or an owner."""
        return self._scoped(actor, "visible_to", area_of(actor), self.scope.owner, shared_down=self.scope.shared_down)

    def managed_by(self, actor) -> ScopedQuerySet:
        """District, subdistrict and community staff of an enclosing area, or whom the manager rule names."""
        return self._scoped(actor, "managed_by", managed_area_of(actor), self.scope.manager, shared_down=False)

    def _scoped(self, actor, how: str, area: str | None, person_rule: OwnerRule | None, *,
                shared_down: bool) -> ScopedQuerySet:
        if actor is None or not getattr(actor, "is_authenticated", False):
            return self.none()
        if self.scope.through:
            parents = getattr(self._parent(), how)(actor).values("pk")
            return self.filter(**{f"{self.scope.through}__in": parents})
        if area == "":
            return self.all()
        rules = [self._area_q(area, shared_down=shared_down)] if area is not None and self.scope.region else []
        if person_rule is not None:
            rules.append(person_rule(actor))
        if not rules:
            return self.none()
        combined = rules[0]
        for rule in rules[1:]:
            combined |= rule
        return self.filter(combined)

    def get_visible(self, actor, **lookup):
        """The record, or NotFound when it does not exist or lies outside the actor's jurisdiction."""
        found = self.visible_to(actor).filter(**lookup).first()
        if found is None:
            raise NotFound()
        return found

    def get_managed(self, actor, **lookup):
        """The record for an action of its managers: 404 when invisible, 403 when only visible."""
        found = self.managed_by(actor).filter(**lookup).first()
        if found is None:
            if self.visible_to(actor).filter(**lookup).exists():
                raise PermissionDenied()
            raise NotFound()
        return found


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    """The manager of a scoped model; see the module docstring for the rules."""

    def __init__(self, *, region: str | None = "region_code", owner: OwnerRule | None = None,
                 manager: OwnerRule | None = None, shared_down: bool = False, through: str | None = None):
        super().__init__()
        self.scope = Scope(region=region, owner=owner, manager=manager, shared_down=shared_down, through=through)

    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        if not cls._meta.abstract:
            cls._scope = self.scope


def scoped_models() -> list[type[models.Model]]:
    """Every installed model whose default manager is scoped (the route test and the docs list them)."""
    from django.apps import apps

    return [model for model in apps.get_models() if isinstance(model._default_manager, ScopedManager)]
