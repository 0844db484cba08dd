"""Input and output shapes of the party building API."""

from datetime import date, datetime

from ninja import Field, Schema

from civicgrid.core.personal import mask_name

BIG = 2**31 - 1


class OrganizationIn(Schema):
    name: str = Field(..., max_length=100)
    kind: str = Field(..., max_length=16)
    region_code: str = Field("", max_length=15)
    parent_id: int | None = Field(None, ge=1, le=BIG)
    building_id: int | None = Field(None, ge=1, le=BIG)
    enterprise_id: int | None = Field(None, ge=1, le=BIG)
    secretary: str = Field("", max_length=50)
    founded_on: date | None = None
    covered_enterprise_ids: list[int] = []


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str
    region_code: str
    parent_id: int | None
    building_id: int | None
    enterprise_id: int | None
    secretary: str
    founded_on: date | None


class MemberOut(Schema):
    id: int
    name: str  # masked
    organization_id: int
    region_code: str
    employed: bool
    reported_on: date | None
    grid_code: str | None
    service_minutes: int

    @staticmethod
    def resolve_name(obj) -> str:
        return mask_name(obj.resident.name)

    @staticmethod
    def resolve_grid_code(obj) -> str | None:
        return obj.grid.code if obj.grid_id else None

    @staticmethod
    def resolve_service_minutes(obj) -> int:
        return obj.minutes_served


class EnterpriseIn(Schema):
    name: str = Field(..., max_length=150)
    credit_code: str = Field(..., max_length=30)
    size: str = Field(..., max_length=8)
    industry: str = Field("", max_length=50)
    building_id: int | None = Field(None, ge=1, le=BIG)
    region_code: str = Field("", max_length=15)
    employees: int = Field(0, ge=0, le=10**6)
    party_members: int = Field(0, ge=0, le=10**5)
    partner_shop_id: int | None = Field(None, ge=1, le=BIG)


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    size: str
    industry: str
    building_id: int | None
    region_code: str
    employees: int
    party_members: int


class CoverageOut(Schema):
    code: str
    enterprises: int
    own_share: float | None
    joint_share: float | None
    shop_share: float | None
    workstation_share: float | None
    organization_share: float | None
    uncovered_above: list[int]
    uncovered_below: list[int]
    buildings_without: list[int]

    @staticmethod
    def resolve_uncovered_above(obj) -> list[int]:
        return [row.pk for row in obj.uncovered_above]

    @staticmethod
    def resolve_uncovered_below(obj) -> list[int]:
        return [row.pk for row in obj.uncovered_below]

    @staticmethod
    def resolve_buildings_without(obj) -> list[int]:
        return [row.pk for row in obj.buildings_without]


class BookingIn(Schema):
    starts_at: datetime
    ends_at: datetime
    purpose: str = Field(..., max_length=200)
    enterprise_id: int | None = Field(None, ge=1, le=BIG)


class BookingOut(Schema):
    id: int
    room_id: int
    starts_at: datetime
    ends_at: datetime
    purpose: str


class RequestIn(Schema):
    enterprise_id: int = Field(..., ge=1, le=BIG)
    description: str = Field(..., max_length=2000)
    category_id: int = Field(..., ge=1, le=BIG)


class RequestOut(Schema):
    id: int
    enterprise_id: int
    description: str
    case_id: int | None
    case_number: str | None
    unit: str | None

    @staticmethod
    def resolve_case_number(obj) -> str | None:
        return obj.case.number if obj.case_id else None

    @staticmethod
    def resolve_unit(obj) -> str | None:
        return obj.case.unit.name if obj.case_id and obj.case.unit_id else None


class IndicatorIn(Schema):
    name: str = Field(..., max_length=100)
    target: str = Field(..., max_length=50)


class MilestoneIn(Schema):
    title: str = Field(..., max_length=100)
    due_on: date


class ProjectIn(Schema):
    community: str = Field(..., min_length=12, max_length=12)
    title: str = Field(..., max_length=100)
    goal: str = Field(..., max_length=2000)
    indicators: list[IndicatorIn]
    budget: int = Field(..., ge=0, le=10**9)
    owner: str = Field(..., max_length=50)
    partners: str = Field("", max_length=300)
    starts_on: date
    ends_on: date
    milestones: list[MilestoneIn]


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    done_on: date | None


class ProjectOut(Schema):
    id: int
    region_code: str
    title: str
    goal: str
    indicators: list[dict]
    budget: int
    spent: int
    owner: str
    partners: str
    starts_on: date
    ends_on: date
    status: str
    is_model: bool
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_milestones(obj) -> list:
        return list(obj.milestones.all())


class BoardRow(Schema):
    project: ProjectOut
    overdue_milestones: int
    days_late: int
    on_schedule: bool


class EvaluationIn(Schema):
    stage: str = Field(..., pattern="^(midterm|final)$")
    score: float = Field(..., ge=0, le=100)
    comments: str = Field("", max_length=2000)


class EvaluationOut(Schema):
    id: int
    stage: str
    score: float
    comments: str


class UseIn(Schema):
    used_on: date
    used_by: str = Field(..., max_length=100)
    purpose: str = Field(..., max_length=200)
    amount: int = Field(..., ge=1, le=10**8)


class UseOut(Schema):
    id: int
    pledge_id: int
    used_on: date
    used_by: str
    purpose: str
    amount: int


class ShowcaseOut(Schema):
    id: int
    title: str
    region_code: str
    goal: str
    showcase_text: str
    starts_on: date
    ends_on: date
