"""Input and output shapes of the community-affairs API."""

from datetime import date, datetime

from ninja import Field, Schema

BIG = 2**31 - 1
CODE = Field(..., min_length=12, max_length=12, pattern=r"^\d{12}$")


class BodyStaffingOut(Schema):
    body: str
    quota: int | None
    actual: int
    vacancies: int
    over: int


class StaffingOut(Schema):
    code: str
    quota: int
    actual: int
    vacancies: int
    over: int
    bodies: list[BodyStaffingOut]


class SpaceOut(Schema):
    code: str
    households: int
    is_new: bool
    area: float
    required: float
    gap: float


class GapRowOut(Schema):
    code: str
    name: str
    space: SpaceOut
    staffing: StaffingOut


class GapGroupOut(Schema):
    code: str
    name: str
    space_gap: float
    vacancies: int
    over: int
    rows: list[GapRowOut]


class CharterIn(Schema):
    community: str = CODE
    body: str = Field(..., max_length=32)
    duties: str = Field(..., max_length=4000)
    approved_on: date | None = None


class PostOut(Schema):
    id: int
    title: str
    quota: int


class CharterOut(Schema):
    id: int
    region_code: str
    body: str
    duties: str
    approved_on: date | None
    posts: list[PostOut]


class PostIn(Schema):
    title: str = Field(..., max_length=50)
    quota: int = Field(..., ge=-BIG, le=BIG)


class QualificationIn(Schema):
    level: str = Field(..., max_length=16)
    certificate_no: str = Field(..., max_length=40)
    issued_on: date
    expires_on: date | None = None


class NewQualificationIn(QualificationIn):
    staff_id: int = Field(..., ge=1, le=BIG)


class QualificationOut(Schema):
    id: int
    staff_id: int
    staff_name: str
    region_code: str
    level: str
    certificate_no: str
    issued_on: date
    expires_on: date | None
    state: str


class StandardIn(Schema):
    key: str = Field(..., max_length=32)
    value: float = Field(..., ge=0, le=100000)
    source: str = Field(..., max_length=300)
    source_checked: bool = False


class StandardOut(Schema):
    key: str
    label: str
    value: float
    source: str
    source_checked: bool


class RoomIn(Schema):
    community: str = CODE
    name: str = Field(..., max_length=100)
    use: str = Field(..., max_length=16)
    area_m2: float = Field(..., gt=0, le=100000)


class RoomOut(Schema):
    id: int
    region_code: str
    name: str
    use: str
    area_m2: float


class TrainingOut(Schema):
    code: str
    year: int
    requirement: float
    workers: int
    average: float | None
    short: int


class CourseIn(Schema):
    region: str = Field(..., min_length=6, max_length=12)
    title: str = Field(..., max_length=200)
    held_on: date
    hours: float = Field(..., gt=0, le=200)


class CourseOut(Schema):
    id: int
    region_code: str
    title: str
    held_on: date
    hours: float


class SignInIn(Schema):
    staff_id: int | None = Field(None, ge=1, le=BIG)


class AttendanceOut(Schema):
    id: int
    course_id: int
    staff_id: int
    signed_at: datetime


class ItemOut(Schema):
    id: int
    code: str
    name: str
    who_may_apply: str
    documents: str
    steps: str
    time_limit_days: int
    fee: str
    eligible_groups: list[str]


class BookIn(Schema):
    community: str = CODE
    item_id: int = Field(..., ge=1, le=BIG)
    starts_at: datetime
    applicant: str = Field(..., max_length=50)
    phone: str = Field(..., max_length=20)
    id_number: str = Field("", max_length=18)


class AppointmentOut(Schema):
    id: int
    region_code: str
    item_id: int
    starts_at: datetime
    applicant: str
    phone_masked: str
    status: str


class HandlingOut(Schema):
    id: int
    region_code: str
    item_id: int
    applicant: str
    received_at: datetime
    due_at: datetime
    finished_at: datetime | None
    result: str
    in_time: bool | None
    case_id: int | None


class FinishIn(Schema):
    result: str = Field(..., pattern="^(done|refused)$")
    note: str = Field("", max_length=500)


class CaseIn(Schema):
    description: str = Field(..., max_length=2000)


class RankOut(Schema):
    rank: int
    code: str
    name: str
    total: float
    final: bool
    assessment_id: int


class ScoreOut(Schema):
    indicator_id: int
    name: str
    weight: float
    source: str
    figure: float | None
    self_score: float | None
    subdistrict_score: float | None
    district_score: float | None


class AssessmentOut(Schema):
    id: int
    template_id: int
    region_code: str
    year: int
    stage: str
    self_total: float | None
    subdistrict_total: float | None
    district_total: float | None
