"""Party building API under /api/v1/partybuilding/: thin handlers over services and selectors."""

from ninja import Path, Router
from ninja.responses import Status

from civicgrid.core.schemas import errors
from civicgrid.partybuilding import selectors, services
from civicgrid.partybuilding.schemas import (
    BIG,
    BoardRow,
    BookingIn,
    BookingOut,
    CoverageOut,
    EnterpriseIn,
    EnterpriseOut,
    EvaluationIn,
    EvaluationOut,
    MemberOut,
    OrganizationIn,
    OrganizationOut,
    ProjectIn,
    ProjectOut,
    RequestIn,
    RequestOut,
    ShowcaseOut,
    UseIn,
    UseOut,
)

router = Router(tags=["partybuilding"])
Id = Path(..., ge=1, le=BIG)
P = "/partybuilding"


@router.get(f"{P}/organizations", response={200: list[OrganizationOut], **errors()},
            summary="Party organizations the caller may see")
def organizations(request):
    return list(selectors.organizations_for(actor=request.auth)[:500])


@router.post(f"{P}/organizations", response={201: OrganizationOut, **errors(403, 404)},
             summary="Create a party organization")
def create_organization(request, payload: OrganizationIn):
    return Status(201, services.create_organization(actor=request.auth, **payload.dict()))


@router.get(f"{P}/members", response={200: list[MemberOut], **errors()},
            summary="Party members (names masked) with their service minutes")
def members(request):
    return list(selectors.members_for(actor=request.auth)[:500])


@router.get(f"{P}/enterprises", response={200: list[EnterpriseOut], **errors()},
            summary="Non-public enterprises the caller may see")
def enterprises(request):
    return list(selectors.enterprises_for(actor=request.auth)[:500])


@router.post(f"{P}/enterprises", response={201: EnterpriseOut, **errors(403, 404)},
             summary="Register a non-public enterprise (the credit code's check character is verified)")
def register_enterprise(request, payload: EnterpriseIn):
    return Status(201, services.register_enterprise(actor=request.auth, **payload.dict()))


@router.get(f"{P}/coverage", response={200: list[CoverageOut], **errors()},
            summary="Party organization coverage per area under the caller's (两个覆盖)")
def coverage(request, code: str | None = None):
    areas = selectors.coverage_areas(actor=request.auth, code=code)
    return list(selectors.coverage_for(actor=request.auth, regions=areas).values())


@router.post(P + "/rooms/{room_id}/bookings", response={201: BookingOut, **errors(403, 404, 409)},
             summary="Book a workstation room (409 room_taken when the time overlaps a booking)")
def book(request, payload: BookingIn, room_id: int = Id):
    return Status(201, services.book_room(actor=request.auth, room_id=room_id, **payload.dict()))


@router.post(P + "/workstations/{workstation_id}/requests", response={201: RequestOut, **errors(403, 404)},
             summary="A company's request: becomes a grid case dispatched to the routed unit")
def file_request(request, payload: RequestIn, workstation_id: int = Id):
    return Status(201, services.file_request(actor=request.auth, workstation_id=workstation_id, **payload.dict()))


@router.get(f"{P}/projects", response={200: list[BoardRow], **errors()},
            summary="The board of brand projects with status and slippage")
def projects(request):
    return [{"project": project, "overdue_milestones": slip.overdue, "days_late": slip.days_late,
             "on_schedule": slip.on_schedule} for project, slip in selectors.board(actor=request.auth)]


@router.post(f"{P}/projects", response={201: ProjectOut, **errors(403, 404)}, summary="Register a brand project")
def register_project(request, payload: ProjectIn):
    data = payload.dict()
    return Status(201, services.register_project(actor=request.auth, **data))


@router.get(P + "/projects/{project_id}", response={200: ProjectOut, **errors(404)}, summary="One brand project")
def project(request, project_id: int = Id):
    return selectors.get_project(actor=request.auth, project_id=project_id)


@router.post(P + "/projects/{project_id}/evaluations", response={201: EvaluationOut, **errors(403, 404, 409)},
             summary="Mid-term or final evaluation with a score (subdistrict or district)")
def evaluate(request, payload: EvaluationIn, project_id: int = Id):
    return Status(201, services.evaluate(actor=request.auth, project_id=project_id, **payload.dict()))


@router.post(P + "/pledges/{pledge_id}/uses", response={201: UseOut, **errors(403, 404, 409)},
             summary="Record a use of a '10+N' pledge (409 pledge_exhausted beyond what was pledged)")
def use_pledge(request, payload: UseIn, pledge_id: int = Id):
    return Status(201, services.record_use(actor=request.auth, pledge_id=pledge_id, **payload.dict()))


@router.get(f"{P}/showcase", auth=None, response={200: list[ShowcaseOut], **errors()},
            summary="Public: model brand projects promoted to the showcase")
def showcase(request):
    return list(selectors.showcase()[:100])
