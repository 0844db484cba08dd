"""Every read of residents and staff, scoped to the actor's jurisdiction (a Region code prefix)."""

from datetime import date

from django.db.models import Prefetch, QuerySet

from civicgrid.core.scoping import ScopedQuerySet
from civicgrid.people.models import Resident, ResidentGroup, StaffMember
from civicgrid.territory.models import RESIDENTIAL_KINDS, Place, Region


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _resident_queryset() -> ScopedQuerySet:
    return (Resident.objects.select_related("place", "household")
            .prefetch_related(Prefetch("groups", queryset=ResidentGroup.objects.order_by("group"))))


def residents_for(*, actor, region=None, place_id=None, group=None, gender=None, age_min=None, age_max=None,
                  q=None, today: date | None = None) -> QuerySet[Resident]:
    """Residents in the actor's area, filtered. Residents, handling units and shops see nothing."""
    queryset = _resident_queryset().visible_to(actor).within((region or "").strip())
    today = today or date.today()
    if place_id:
        queryset = queryset.filter(place_id=place_id)
    if group:
        queryset = queryset.filter(groups__group=group)
    if gender:
        queryset = queryset.filter(gender=gender)
    if age_min is not None:
        queryset = queryset.filter(birth_date__lte=_years_before(today, int(age_min)))
    if age_max is not None:
        queryset = queryset.filter(birth_date__gt=_years_before(today, int(age_max) + 1))
    if q:
        queryset = queryset.filter(name__contains=q.strip())
    return queryset.order_by("region_code", "id")


def resident_detail(*, actor, resident_id) -> Resident:
    return _resident_queryset().get_visible(actor, pk=resident_id)


def household_members(*, resident: Resident) -> list[Resident]:
    return list(resident.household.members.exclude(pk=resident.pk).order_by("birth_date"))


def staff_for(*, actor, region=None, body=None) -> QuerySet[StaffMember]:
    queryset = (StaffMember.objects.visible_to(actor).within((region or "").strip())
                .select_related("region", "user")
                .prefetch_related(Prefetch("grids", queryset=Region.objects.order_by("code"))))
    if body:
        queryset = queryset.filter(body=body)
    return queryset.order_by("region_code", "body", "name")


def residential_places_for(*, actor) -> QuerySet[Place]:
    return Place.objects.visible_to(actor).filter(kind__in=RESIDENTIAL_KINDS).order_by("name")


def group_count(*, group: str, regions: list[str]) -> int:
    """Residents of one special group living in these regions (system figure for another module: a count only)."""
    return ResidentGroup.objects.within_any(regions).filter(group=group).count()
