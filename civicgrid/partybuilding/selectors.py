"""Every read of party building: takes the actor and applies jurisdiction (core.scoping)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import cast

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.cases.models import State
from civicgrid.core.registry import RecordLink
from civicgrid.core.scoping import ScopedQuerySet, area_of
from civicgrid.organizations import selectors as registry
from civicgrid.partybuilding import coverage as cov
from civicgrid.partybuilding.models import (
    Booking,
    BrandProject,
    BuildingProfile,
    Chamber,
    CompanyRequest,
    Enterprise,
    EventSignup,
    Milestone,
    ModelEnterprise,
    PartyMember,
    PartyOrganization,
    StationEvent,
    Workstation,
)
from civicgrid.territory.models import Level, Place, PlaceKind, Region
from civicgrid.volunteering.models import ServiceRecord

# --- organizations and members ----------------------------------------------------------------------------

def organizations_for(*, actor) -> ScopedQuerySet:
    found = (PartyOrganization.objects.visible_to(actor)
             .select_related("parent", "enterprise", "building__place", "social_organization")
             .annotate(member_count=Count("members", distinct=True)))
    return cast(ScopedQuerySet, found)


def get_organization(*, actor, organization_id: int) -> PartyOrganization:
    return organizations_for(actor=actor).get_visible(actor, pk=organization_id)


def tree(organizations) -> list[tuple[int, PartyOrganization]]:
    """(depth, organization) in tree order; an organization whose parent is out of sight starts a branch."""
    rows = list(organizations)
    by_parent: dict[int | None, list] = {}
    present = {org.pk for org in rows}
    for org in rows:
        by_parent.setdefault(org.parent_id if org.parent_id in present else None, []).append(org)
    ordered: list[tuple[int, PartyOrganization]] = []

    def walk(parent, depth):
        for org in sorted(by_parent.get(parent, []), key=lambda o: (o.region_code, o.name)):
            ordered.append((depth, org))
            walk(org.pk, depth + 1)

    walk(None, 0)
    return ordered


def _linked_minutes() -> Sum:
    return Sum("services__volunteer_record__minutes",
               filter=Q(services__volunteer_record__status=ServiceRecord.Status.CONFIRMED))


def members_for(*, actor) -> ScopedQuerySet:
    found = (PartyMember.objects.visible_to(actor).select_related("resident", "organization", "grid")
             .annotate(own_minutes=Sum("services__minutes"), linked_minutes=_linked_minutes()))
    return cast(ScopedQuerySet, found)


def get_member(*, actor, member_id: int) -> PartyMember:
    return members_for(actor=actor).get_visible(actor, pk=member_id)


def service_minutes(member: PartyMember) -> int:
    """The member's service minutes: own records plus linked confirmed volunteering records, each counted once."""
    own = member.services.aggregate(total=Sum("minutes"))["total"] or 0
    linked = member.services.filter(volunteer_record__status=ServiceRecord.Status.CONFIRMED).aggregate(
        total=Sum("volunteer_record__minutes"))["total"] or 0
    return own + linked


def member_services(member: PartyMember) -> QuerySet:
    """The member's services, own and linked (a linked row shows the volunteering record it counts)."""
    return member.services.select_related("volunteer_record__team").order_by("-created_at", "-id")


def linkable_records(*, actor, member: PartyMember) -> QuerySet:
    """The member's own confirmed volunteering records the actor may see that no member counts yet."""
    return (ServiceRecord.objects.visible_to(actor)
            .filter(volunteer__resident_id=member.resident_id, status=ServiceRecord.Status.CONFIRMED,
                    party_service__isnull=True)
            .select_related("team").order_by("-service_date", "-id"))


def grids_of_residence(member: PartyMember) -> QuerySet:
    """The grids of the community the member lives in: where they may serve (党员在格上)."""
    return Region.objects.filter(level=Level.GRID, code__startswith=member.region_code[:12]).order_by("code")


# --- enterprises, buildings and coverage -------------------------------------------------------------------

def enterprises_for(*, actor) -> ScopedQuerySet:
    return cast(ScopedQuerySet, (Enterprise.objects.visible_to(actor).select_related("building__place", "partner_shop")
            .annotate(has_own=Exists(PartyOrganization.objects.filter(enterprise=OuterRef("pk"))),
                      has_joint=Exists(PartyOrganization.covered_enterprises.through.objects.filter(
                          enterprise_id=OuterRef("pk"))))))


def buildings_for(*, actor) -> ScopedQuerySet:
    return cast(ScopedQuerySet, (BuildingProfile.objects.visible_to(actor).select_related("place")
            .annotate(tenants=Count("enterprises", distinct=True), employees=Sum("enterprises__employees"),
                      has_workstation=Exists(Workstation.objects.filter(building=OuterRef("pk"))))))


def get_building(*, actor, building_id: int) -> BuildingProfile:
    return buildings_for(actor=actor).get_visible(actor, pk=building_id)


def _rows(actor, within: str) -> tuple[list[cov.EnterpriseRow], list[cov.BuildingRow]]:
    enterprises = [cov.EnterpriseRow(e.pk, e.name, e.region_code, e.employees, e.has_own, e.has_joint,
                                     e.partner_shop_id is not None)
                   for e in enterprises_for(actor=actor).within(within)]
    places = (Place.objects.visible_to(actor).within(within).filter(kind=PlaceKind.OFFICE_BUILDING)
              .annotate(profile=Subquery(BuildingProfile.objects.filter(place=OuterRef("pk")).values("pk")[:1]),
                        has_workstation=Exists(Workstation.objects.filter(building__place=OuterRef("pk")))))
    buildings = [cov.BuildingRow(p.profile, p.name, p.region_code, p.has_workstation) for p in places]
    return enterprises, buildings


def coverage_areas(*, actor, code: str | None = None) -> list[Region]:
    """The areas a coverage table lists: the subdistricts of the actor's district (or the communities of a
    subdistrict, or the community itself)."""
    area = area_of(actor)
    if area is None:
        return []
    code = code if code is not None and code.startswith(area) else area
    region = Region.objects.filter(code=code).first() if code else Region.objects.filter(parent=None).first()
    if region is None:
        return []
    if len(region.code) >= 12:
        return [region]
    return list(Region.objects.filter(parent=region).order_by("code"))


def coverage_for(*, actor, regions: list[Region]) -> dict[str, cov.Coverage]:
    if not regions or area_of(actor) is None:
        return {}
    within = os.path.commonprefix([r.code for r in regions])  # narrows the read; compute() assigns exactly
    enterprises, buildings = _rows(actor, within)
    return cov.compute([r.code for r in regions], enterprises, buildings)


def organization_share_by_region(actor, regions: list) -> dict[str, float | None]:
    """The region figure: share of enterprises covered by an own or a joint party organization."""
    return {code: c.organization_share for code, c in coverage_for(actor=actor, regions=regions).items()}


# --- workstations ---------------------------------------------------------------------------------------------

def workstations_for(*, actor) -> ScopedQuerySet:
    return cast(ScopedQuerySet, Workstation.objects.visible_to(actor).select_related("building__place"))


def get_workstation(*, actor, workstation_id: int) -> Workstation:
    return workstations_for(actor=actor).get_visible(actor, pk=workstation_id)


def events_for(*, actor) -> ScopedQuerySet:
    return cast(ScopedQuerySet, (StationEvent.objects.visible_to(actor).select_related("workstation__building__place")
            .annotate(signed=Count("signups"))))


def open_events_for(*, actor) -> QuerySet:
    """Events open for self sign-up that have not begun, soonest first (every signed-in user sees them)."""
    return (StationEvent.objects.visible_to(actor).filter(self_signup=True, starts_at__gt=timezone.now())
            .select_related("workstation__building__place").annotate(signed=Count("signups"))
            .order_by("starts_at")[:100])


def own_signups(*, actor, events) -> dict[int, EventSignup]:
    """The actor's own sign-ups for these events, by event id."""
    found = EventSignup.objects.visible_to(actor).filter(user=actor, event__in=[e.pk for e in events])
    return {signup.event_id: signup for signup in found.select_related("enterprise")}


def bookings_of(*, actor, workstation: Workstation, day: date | None = None) -> QuerySet:
    found = Booking.objects.visible_to(actor).filter(room__workstation=workstation, cancelled_at__isnull=True)
    if day is not None:
        start = timezone.make_aware(datetime.combine(day, time.min))
        found = found.filter(ends_at__gt=start, starts_at__lt=start + timedelta(days=1))
    return found.select_related("room", "enterprise").order_by("starts_at")


def requests_of(*, actor, workstation: Workstation) -> QuerySet:
    return (CompanyRequest.objects.visible_to(actor).filter(workstation=workstation)
            .select_related("enterprise", "case", "case__unit"))


@dataclass(frozen=True)
class AnnualRecord:
    year: int
    events: int
    signups: int
    bookings: int
    booked_hours: float
    requests: int
    cases_closed: int
    tenants: int
    employees: int


def annual_record(*, actor, building_id: int, year: int) -> AnnualRecord:
    """The building's annual service record: events and sign-ups, room bookings and hours, companies' requests
    and how many of their cases are closed, with the building's tenants and employees."""
    building = get_building(actor=actor, building_id=building_id)
    tenants, employees = getattr(building, "tenants", 0), getattr(building, "employees", 0) or 0
    station = Workstation.objects.filter(building=building).first()
    if station is None:
        return AnnualRecord(year, 0, 0, 0, 0.0, 0, 0, tenants, employees)
    events = StationEvent.objects.filter(workstation=station, starts_at__year=year)
    bookings = list(Booking.objects.filter(room__workstation=station, cancelled_at__isnull=True,
                                           starts_at__year=year).values_list("starts_at", "ends_at"))
    requests = CompanyRequest.objects.filter(workstation=station, created_at__year=year)
    return AnnualRecord(year=year, events=events.count(),
                        signups=sum(e.signups.count() for e in events),
                        bookings=len(bookings),
                        booked_hours=round(sum((end - start).total_seconds() for start, end in bookings) / 3600, 1),
                        requests=requests.count(), cases_closed=requests.filter(case__state=State.CLOSED).count(),
                        tenants=tenants, employees=employees)


def chambers_for(*, actor) -> ScopedQuerySet:
    found = (Chamber.objects.visible_to(actor).select_related("organization", "registry_entry")
             .prefetch_related("buildings__place", "enterprises", "activities"))
    return cast(ScopedQuerySet, found)


def get_chamber(*, actor, chamber_id: int) -> Chamber:
    return chambers_for(actor=actor).get_visible(actor, pk=chamber_id)


def candidate_members(*, actor, chamber: Chamber) -> QuerySet:
    """Tenants of the chamber's buildings that are not members yet."""
    return (Enterprise.objects.visible_to(actor).filter(building__in=chamber.buildings.all())
            .exclude(pk__in=chamber.enterprises.values("pk")).order_by("name"))


def models_for(*, actor, year: int | None = None) -> QuerySet:
    found = ModelEnterprise.objects.visible_to(actor).select_related("enterprise").prefetch_related("pledges__uses")
    return found.filter(year=year) if year else found


# --- brand projects ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Slippage:
    overdue: int  # milestones past due and not done
    days_late: int  # the most overdue one's days (0 when none)

    @property
    def on_schedule(self) -> bool:
        return self.overdue == 0


def slippage(milestones, today: date) -> Slippage:
    """Milestones due before `today` and not yet done; `days_late` is the oldest one's delay. A milestone done
    (even late) no longer slips."""
    late = [(today - m.due_on).days for m in milestones if m.done_on is None and m.due_on < today]
    return Slippage(len(late), max(late, default=0))


def projects_for(*, actor) -> ScopedQuerySet:
    return cast(ScopedQuerySet, (BrandProject.objects.visible_to(actor)
            .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("due_on")), "evaluations")))


def get_project(*, actor, project_id: int) -> BrandProject:
    return projects_for(actor=actor).prefetch_related("reports__evidence").get_visible(actor, pk=project_id)


def board(*, actor, today: date | None = None) -> list[tuple[BrandProject, Slippage]]:
    """The district board: every visible project with its status and slippage, the most late first."""
    today = today or timezone.localdate()
    rows = [(project, slippage(project.milestones.all(), today)) for project in projects_for(actor=actor)]
    return sorted(rows, key=lambda row: (-row[1].days_late, row[0].region_code, row[0].title))


def showcase() -> QuerySet:
    """Public by decision: promoted model projects only, with their showcase text."""
    return BrandProject.objects.filter(is_model=True, promoted_at__isnull=False).order_by("-promoted_at")


# --- cockpit KPIs ---------------------------------------------------------------------------------------------

def _prefixed(codes: list[str], region_code: str) -> str | None:
    return next((code for code in codes if region_code.startswith(code)), None)


def kpi_organization_share(actor, regions, start, end) -> dict[str, float | None]:
    return organization_share_by_region(actor, list(regions))


def kpi_workstation_share(actor, regions, start, end) -> dict[str, float | None]:
    return {code: c.workstation_share for code, c in coverage_for(actor=actor, regions=list(regions)).items()}


def kpi_members_reported(actor, regions, start, end) -> dict[str, float | None]:
    """Employed members who reported to their community of residence in [start, end)."""
    codes = [r.code for r in regions]
    counts = dict.fromkeys(codes, 0)
    found = PartyMember.objects.visible_to(actor).filter(reported_on__gte=start, reported_on__lt=end)
    for region_code in found.values_list("region_code", flat=True):
        code = _prefixed(codes, region_code)
        if code:
            counts[code] += 1
    return dict(counts)


def kpi_projects_on_schedule(actor, regions, start, end) -> dict[str, float | None]:
    """Share of brand projects running in the period that have no overdue milestone at its end."""
    codes = [r.code for r in regions]
    totals, on_time = dict.fromkeys(codes, 0), dict.fromkeys(codes, 0)
    last = end - timedelta(days=1)
    for project in projects_for(actor=actor).filter(starts_on__lt=end, ends_on__gte=start):
        code = _prefixed(codes, project.region_code)
        if code:
            totals[code] += 1
            on_time[code] += slippage(project.milestones.all(), last).on_schedule
    return {code: (on_time[code] / totals[code] if totals[code] else None) for code in codes}


def social_organizations_without_party(*, actor):
    """Registry entries the actor sees that have no party organization of their own yet."""
    return registry.organizations_for(actor=actor, status="active").filter(own_party_organization__isnull=True)


def party_organization_links(actor, organization) -> list[RecordLink]:
    """The party organization a social organization of the registry belongs to, for its page."""
    party = PartyOrganization.objects.visible_to(actor).filter(social_organization=organization).first()
    return [RecordLink(_("Party organization (party building)"), party.name, reverse("partybuilding:organizations"))] \
        if party else []
