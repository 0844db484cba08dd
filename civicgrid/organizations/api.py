"""Organizations API under /api/v1/organizations/: thin handlers over services and selectors."""

from django.utils import timezone
from ninja import Path, Query, Router, Schema
from ninja.responses import Status

from civicgrid.core.errors import NotFound, PermissionDenied
from civicgrid.core.schemas import errors
from civicgrid.organizations import selectors, services
from civicgrid.organizations.schemas import (
    BIG,
    ApplicationOut,
    ApplyIn,
    AttendanceOut,
    CheckinIn,
    CohortFiguresOut,
    DecisionIn,
    DesignateIn,
    EligibilityOut,
    HubOut,
    MemberFigureOut,
    MemberIn,
    MembershipOut,
    MilestoneDoneIn,
    MilestoneIn,
    MilestoneOut,
    OrganizationOut,
    RatingIn,
    RegisterIn,
    ReportIn,
    ReportOut,
    ServiceIn,
    ServiceOut,
)
from civicgrid.organizations.services.common import own_organization

router = Router(tags=["organizations"])
Id = Path(..., ge=1, le=BIG)


class RegistryFilter(Schema):
    kind: str = ""
    field: str = ""
    registration: str = ""
    status: str = ""
    min_rating: int | None = Query(None, ge=1, le=5)
    region: str = Query("", max_length=15)
    q: str = Query("", max_length=100)
    limit: int = Query(100, ge=1, le=500)
    offset: int = Query(0, ge=0, le=1_000_000)


@router.get("/organizations/", response={200: list[OrganizationOut], **errors()},
            summary="The registry as the caller sees it, filtered")
def registry(request, filters: Query[RegistryFilter]):
    found = selectors.organizations_for(actor=request.auth, kind=filters.kind, field=filters.field,
                                        registration=filters.registration, status=filters.status,
                                        min_rating=filters.min_rating, region_code=filters.region, q=filters.q)
    return list(found.prefetch_related("service_area")[filters.offset:filters.offset + filters.limit])


@router.post("/organizations/", response={201: OrganizationOut, **errors(403, 404, 409)},
             summary="Register an organization (its office)")
def register(request, payload: RegisterIn):
    return Status(201, services.register_organization(actor=request.auth, **payload.dict()))


@router.get("/organizations/me", response={200: OrganizationOut, **errors(404)},
            summary="The organization the caller signs in for")
def me(request):
    org = own_organization(request.auth)
    if org is None:
        raise NotFound()
    return org


@router.get("/organizations/hubs", response={200: list[HubOut], **errors()}, summary="Designated hub organizations")
def hubs(request):
    return list(selectors.hubs_for(actor=request.auth)[:500])


@router.post("/organizations/hubs", response={201: HubOut, **errors(403, 404, 409)},
             summary="Designate a hub organization (one per field and subdistrict)")
def designate(request, payload: DesignateIn):
    return Status(201, services.designate_hub(actor=request.auth, **payload.dict()))


@router.post("/organizations/hubs/{hub_id}/members", response={201: MembershipOut, **errors(403, 404, 409)},
             summary="Add a member organization to a hub")
def add_member(request, payload: MemberIn, hub_id: int = Id):
    return Status(201, services.add_member(actor=request.auth, hub_id=hub_id, **payload.dict()))


@router.get("/organizations/hubs/{hub_id}/member-figures", response={200: list[MemberFigureOut], **errors(403, 404)},
            summary="Members' activity figures (the hub and its office)")
def member_figures(request, hub_id: int = Id):
    hub = selectors.hub_detail(actor=request.auth, hub_id=hub_id)
    if not selectors.can_see_member_figures(request.auth, hub):
        raise PermissionDenied()
    return [{"member_id": row["member"].pk, "name": row["member"].name, "joined_on": row["membership"].joined_on,
             "joint_activities": row["joint"], "projects": row["projects"], "people_served": row["served"],
             "service_hours": float(row["hours"]), "training_signins": row["trainings"],
             "last_year_report": row["report"]} for row in selectors.member_figures(hub=hub)]


@router.get("/organizations/incubation/board", response={200: list[CohortFiguresOut], **errors()},
            summary="The incubation board: per cohort and in total")
def board(request):
    found = selectors.board(actor=request.auth)
    rows = [(row["cohort"].pk, row["cohort"].name, row) for row in found["cohorts"]]
    rows.append((None, "total", found["total"]))
    return [{"cohort_id": pk, "name": name, "current": f["current"], "graduated": f["statuses"]["graduated"],
             "left": f["statuses"]["left"], "services": f["services"], "service_hours": float(f["hours"]),
             "milestones_done": f["milestones"]["done"], "milestones_open": f["milestones"]["open"],
             "milestones_overdue": f["milestones"]["overdue"], "graduation_rate": f["graduation_rate"]}
            for pk, name, f in rows]


@router.post("/organizations/incubation/applications", response={201: ApplicationOut, **errors(403, 404, 409)},
             summary="Apply to an incubation cohort (the organization's account)")
def apply(request, payload: ApplyIn):
    return Status(201, services.apply(actor=request.auth, **payload.dict()))


@router.post("/organizations/incubation/applications/{application_id}/decision",
             response={200: ApplicationOut, **errors(403, 404, 409)}, summary="Admit or decline an application")
def decide(request, payload: DecisionIn, application_id: int = Id):
    return services.decide_application(actor=request.auth, application_id=application_id, **payload.dict())


@router.post("/organizations/incubations/{incubation_id}/services", response={201: ServiceOut, **errors(403, 404, 409)},
             summary="Log a service delivered to an incubated organization")
def log_service(request, payload: ServiceIn, incubation_id: int = Id):
    return Status(201, services.log_service(actor=request.auth, incubation_id=incubation_id, **payload.dict()))


@router.post("/organizations/incubations/{incubation_id}/milestones",
             response={201: MilestoneOut, **errors(403, 404, 409)}, summary="Add a milestone")
def add_milestone(request, payload: MilestoneIn, incubation_id: int = Id):
    return Status(201, services.add_milestone(actor=request.auth, incubation_id=incubation_id, **payload.dict()))


@router.post("/organizations/incubation/milestones/{milestone_id}/done",
             response={200: MilestoneOut, **errors(403, 404, 409)}, summary="Confirm a milestone reached")
def milestone_done(request, payload: MilestoneDoneIn, milestone_id: int = Id):
    return services.complete_milestone(actor=request.auth, milestone_id=milestone_id, **payload.dict())


@router.post("/organizations/training/checkin", response={201: AttendanceOut, **errors(403, 404, 409)},
             summary="Sign in at a training session with its code (the organization's account)")
def checkin(request, payload: CheckinIn):
    return Status(201, services.scan_sign_in(actor=request.auth, **payload.dict()))


@router.get("/organizations/{org_id}", response={200: OrganizationOut, **errors(404)}, summary="One organization")
def detail(request, org_id: int = Id):
    return selectors.organization_detail(actor=request.auth, organization_id=org_id)


@router.get("/organizations/{org_id}/eligibility", response={200: EligibilityOut, **errors(404)},
            summary="Whether it may bid for purchased services: registered, grade, last year's annual report")
def eligibility(request, org_id: int = Id, min_rating: int = Query(3, ge=0, le=5),
                year: int | None = Query(None, ge=2000, le=2100)):
    org = selectors.organization_detail(actor=request.auth, organization_id=org_id)
    problems = selectors.eligibility_problems(org, min_rating=min_rating, year=year or timezone.localdate().year)
    return {"eligible": not problems, "problems": problems}


@router.post("/organizations/{org_id}/rating", response={200: OrganizationOut, **errors(403, 404)},
             summary="Record or clear the assessment grade (the office)")
def rate(request, payload: RatingIn, org_id: int = Id):
    return services.set_rating(actor=request.auth, organization_id=org_id, rating=payload.rating,
                               rated_on=payload.rated_on, expires_on=payload.expires_on)


@router.post("/organizations/{org_id}/annual-reports", response={201: ReportOut, **errors(403, 404, 409)},
             summary="File an annual report (the organization, or its office on its behalf)")
def file_report(request, payload: ReportIn, org_id: int = Id):
    return Status(201, services.submit_annual_report(actor=request.auth, organization_id=org_id, **payload.dict()))
