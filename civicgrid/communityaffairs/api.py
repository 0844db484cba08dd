"""Community-affairs API under /api/v1/communityaffairs/: thin handlers over services and selectors."""

from django.utils import timezone
from ninja import Path, Router
from ninja.responses import Status

from civicgrid.communityaffairs import figures, selectors, services, standards
from civicgrid.communityaffairs.models import Standard
from civicgrid.communityaffairs.schemas import (
    BIG,
    AppointmentOut,
    AssessmentOut,
    AttendanceOut,
    BookIn,
    CaseIn,
    CharterIn,
    CharterOut,
    CourseIn,
    CourseOut,
    FinishIn,
    GapGroupOut,
    HandlingOut,
    ItemOut,
    NewQualificationIn,
    PostIn,
    PostOut,
    QualificationIn,
    QualificationOut,
    RankOut,
    RoomIn,
    RoomOut,
    ScoreOut,
    SignInIn,
    SpaceOut,
    StaffingOut,
    StandardIn,
    StandardOut,
    TrainingOut,
)
from civicgrid.core.schemas import errors

router = Router(tags=["communityaffairs"])
Id = Path(..., ge=1, le=BIG)
Code = Path(..., min_length=12, max_length=12, pattern=r"^\d{12}$")
P = "/communityaffairs"


def _staffing(row: figures.Staffing) -> dict:
    return {"code": row.code, "quota": row.quota, "actual": row.actual, "vacancies": row.vacancies,
            "over": row.over, "bodies": [{"body": b.body, "quota": b.quota, "actual": b.actual,
                                          "vacancies": b.vacancies, "over": b.over} for b in row.bodies]}


def _space(row: figures.Space) -> dict:
    return {"code": row.code, "households": row.households, "is_new": row.is_new, "area": row.area,
            "required": row.required, "gap": row.gap}


@router.get(P + "/communities/{code}/staffing", response={200: StaffingOut, **errors(404)},
            summary="A community's roster against its charters' quotas: vacancies and over-staffing per body")
def staffing(request, code: str = Code):
    selectors.community(actor=request.auth, code=code)
    return _staffing(figures.staffing([code])[code])


@router.get(P + "/communities/{code}/space", response={200: SpaceOut, **errors(404)},
            summary="A community's rooms against the space standard")
def space(request, code: str = Code):
    selectors.community(actor=request.auth, code=code)
    return _space(figures.spaces([code])[code])


@router.get(P + "/communities/{code}/training/{year}", response={200: TrainingOut, **errors(404)},
            summary="Training hours per worker in a year against the requirement")
def training(request, code: str = Code, year: int = Path(..., ge=2000, le=2100)):
    selectors.community(actor=request.auth, code=code)
    row = figures.training([code], year)[code]
    return {"code": code, "year": year, "requirement": row.requirement, "workers": row.workers,
            "average": row.average, "short": row.short}


@router.get(P + "/gaps", response={200: list[GapGroupOut], **errors()},
            summary="Space and staffing gaps of the covered communities, by subdistrict")
def gaps(request):
    return [{**{k: group[k] for k in ("code", "name", "space_gap", "vacancies", "over")},
             "rows": [{"code": r["region"].code, "name": r["region"].name, "space": _space(r["space"]),
                       "staffing": _staffing(r["staffing"])} for r in group["rows"]]}
            for group in selectors.gap_list(actor=request.auth)]


@router.get(P + "/communities/{code}/charters", response={200: list[CharterOut], **errors(404)},
            summary="A community's duty charters with their posts and quotas")
def charters(request, code: str = Code):
    selectors.community(actor=request.auth, code=code)
    return list(selectors.charters(actor=request.auth, code=code))


@router.post(P + "/charters", response={201: CharterOut, **errors(403, 404)}, summary="Write a body's charter")
def save_charter(request, payload: CharterIn):
    return Status(201, services.save_charter(actor=request.auth, **payload.dict()))


@router.post(P + "/charters/{charter_id}/posts", response={200: PostOut, **errors(403, 404)},
             summary="Add a post or set its quota (a quota below zero is refused: negative_quota)")
def set_post(request, payload: PostIn, charter_id: int = Id):
    return services.set_post(actor=request.auth, charter_id=charter_id, title=payload.title, quota=payload.quota)


@router.delete(P + "/posts/{post_id}", response={204: None, **errors(403, 404)},
               summary="Remove a post from its charter (the quota drops with it)")
def remove_post(request, post_id: int = Id):
    services.remove_post(actor=request.auth, post_id=post_id)
    return Status(204, None)


def _qualification(record, state: str | None = None) -> dict:
    return {"id": record.pk, "staff_id": record.staff_id, "staff_name": record.staff.name,
            "region_code": record.region_code, "level": record.level, "certificate_no": record.certificate_no,
            "issued_on": record.issued_on, "expires_on": record.expires_on,
            "state": state or figures.certificate_state(record.expires_on, timezone.localdate())}


@router.get(P + "/communities/{code}/qualifications", response={200: list[QualificationOut], **errors(404)},
            summary="The social-worker certificates of a community's workers, expiring and expired flagged")
def qualifications(request, code: str = Code):
    selectors.community(actor=request.auth, code=code)
    return [_qualification(row["record"], row["state"])
            for row in selectors.qualifications(actor=request.auth, code=code)]


@router.post(P + "/qualifications", response={201: QualificationOut, **errors(403, 404)},
             summary="Record a worker's certificate (duplicate_certificate, invalid_expiry, issued_in_future)")
def add_qualification(request, payload: NewQualificationIn):
    return Status(201, _qualification(services.add_qualification(actor=request.auth, **payload.dict())))


@router.put(P + "/qualifications/{qualification_id}", response={200: QualificationOut, **errors(403, 404)},
            summary="Correct or renew a certificate")
def update_qualification(request, payload: QualificationIn, qualification_id: int = Id):
    return _qualification(services.update_qualification(actor=request.auth, qualification_id=qualification_id,
                                                        **payload.dict()))


@router.delete(P + "/qualifications/{qualification_id}", response={204: None, **errors(403, 404)},
               summary="Remove a certificate")
def remove_qualification(request, qualification_id: int = Id):
    services.remove_qualification(actor=request.auth, qualification_id=qualification_id)
    return Status(204, None)


def _standards() -> list[dict]:
    rules = standards.current()
    return [{"key": key, "label": str(label), "value": float(rules[key].value), "source": rules[key].source,
             "source_checked": rules[key].checked} for key, label in Standard.Key.choices]


@router.get(P + "/standards", response={200: list[StandardOut], **errors()},
            summary="The thresholds the gap lists use, each with its source and whether it was checked")
def standards_list(request):
    return _standards()


@router.post(P + "/standards", response={200: list[StandardOut], **errors(403)},
             summary="District: set a threshold and its source (the gap lists follow at once)")
def set_standard(request, payload: StandardIn):
    services.set_standard(actor=request.auth, key=payload.key, value=str(payload.value), source=payload.source,
                          source_checked=payload.source_checked)
    return _standards()


@router.get(P + "/communities/{code}/rooms", response={200: list[RoomOut], **errors(404)},
            summary="A community's rooms")
def rooms(request, code: str = Code):
    selectors.community(actor=request.auth, code=code)
    return list(selectors.rooms(actor=request.auth, code=code))


@router.post(P + "/rooms", response={201: RoomOut, **errors(403, 404)}, summary="Add a room")
def add_room(request, payload: RoomIn):
    return Status(201, services.add_room(actor=request.auth, **payload.dict()))


@router.get(P + "/courses", response={200: list[CourseOut], **errors()}, summary="Training courses I may see")
def courses(request):
    return list(selectors.courses(actor=request.auth)[:200])


@router.post(P + "/courses", response={201: CourseOut, **errors(403, 404)}, summary="Create a training course")
def create_course(request, payload: CourseIn):
    return Status(201, services.create_course(actor=request.auth, **payload.dict()))


@router.post(P + "/courses/{course_id}/sign-in", response={200: AttendanceOut, **errors(403, 404)},
             summary="Sign a worker (or myself) in to a course")
def sign_in(request, payload: SignInIn, course_id: int = Id):
    return services.sign_in(actor=request.auth, course_id=course_id, staff_id=payload.staff_id)


@router.get(P + "/communities/{code}/items", response={200: list[ItemOut], **errors(404)}, auth=None,
            summary="The community's catalogue of service items with their guides (public)")
def items(request, code: str = Code):
    return list(selectors.catalogue(code=code))


@router.post(P + "/appointments", response={201: AppointmentOut, **errors(403, 404, 409)},
             summary="Book a window slot (slot_taken when booked already; not_eligible for special-group items)")
def book(request, payload: BookIn):
    return Status(201, services.book(actor=request.auth, **payload.dict()))


@router.get(P + "/appointments", response={200: list[AppointmentOut], **errors()}, summary="My appointments")
def my_appointments(request):
    return list(selectors.my_appointments(actor=request.auth)[:100])


@router.post(P + "/appointments/{appointment_id}/cancel", response={200: AppointmentOut, **errors(404)},
             summary="Cancel my appointment")
def cancel(request, appointment_id: int = Id):
    return services.cancel(actor=request.auth, appointment_id=appointment_id)


@router.post(P + "/appointments/{appointment_id}/receive", response={201: HandlingOut, **errors(403, 404)},
             summary="Window: receive a booked applicant (the handling record starts)")
def receive(request, appointment_id: int = Id):
    return Status(201, services.receive_appointment(actor=request.auth, appointment_id=appointment_id))


@router.get(P + "/handlings", response={200: list[HandlingOut], **errors()}, summary="Handling records I may see")
def handlings(request):
    return list(selectors.handlings(actor=request.auth)[:200])


@router.post(P + "/handlings/{handling_id}/finish", response={200: HandlingOut, **errors(403, 404)},
             summary="Window: finish an application (done or refused), in time or not")
def finish(request, payload: FinishIn, handling_id: int = Id):
    return services.finish(actor=request.auth, handling_id=handling_id, result=payload.result, note=payload.note)


@router.post(P + "/handlings/{handling_id}/case", response={200: HandlingOut, **errors(403, 404)},
             summary="Window: pass what the community cannot finish on as a case")
def to_case(request, payload: CaseIn, handling_id: int = Id):
    return services.pass_to_case(actor=request.auth, handling_id=handling_id, description=payload.description)


@router.get(P + "/assessments/{assessment_id}", response={200: AssessmentOut, **errors(404)},
            summary="One assessment")
def assessment(request, assessment_id: int = Id):
    return selectors.get_assessment(actor=request.auth, assessment_id=assessment_id)


@router.get(P + "/assessments/{assessment_id}/scores", response={200: list[ScoreOut], **errors(404)},
            summary="An assessment's indicator scores at each stage")
def scores(request, assessment_id: int = Id):
    found = selectors.get_assessment(actor=request.auth, assessment_id=assessment_id)
    return [{"indicator_id": s.indicator_id, "name": s.indicator.name, "weight": float(s.indicator.weight),
             "source": s.indicator.source, "figure": s.figure, "self_score": s.self_score,
             "subdistrict_score": s.subdistrict_score, "district_score": s.district_score}
            for s in found.scores.select_related("indicator")]


@router.get(P + "/templates/{template_id}/ranking/{year}", response={200: list[RankOut], **errors(403, 404)},
            summary="Subdistrict and district reviewers: communities ranked by their assessment scores")
def ranking(request, template_id: int = Id, year: int = Path(..., ge=2000, le=2100)):
    selectors.get_template(actor=request.auth, template_id=template_id)
    return [{"rank": r["rank"], "code": r["code"], "name": r["name"], "total": r["total"], "final": r["final"],
             "assessment_id": r["assessment"].pk} for r in selectors.ranking(actor=request.auth,
                                                                             template_id=template_id, year=year)]
