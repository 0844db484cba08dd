"""API schemas for organizations. The legal representative appears masked only."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from civicgrid.core.personal import mask_name
from civicgrid.organizations.models import Field as ServiceField
from civicgrid.organizations.models import Kind, Registration, ServiceLog

BIG = 2**53


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str
    field: str
    status: str
    registration: str
    registration_authority: str
    registered_on: date
    credit_code: str
    region_code: str
    service_area: list[str]
    rep_name_masked: str
    rep_id_number_masked: str
    rep_phone_masked: str
    staff_count: int
    volunteer_count: int
    rating: str | None = Field(None, description="assessment grade 1A–5A")
    rated_on: date | None = None
    rating_expires_on: date | None = None
    party_organization: str

    @staticmethod
    def resolve_service_area(obj) -> list[str]:
        return [region.code for region in obj.service_area.all()]

    @staticmethod
    def resolve_rep_name_masked(obj) -> str:
        return mask_name(obj.rep_name)

    @staticmethod
    def resolve_rating(obj) -> str | None:
        return obj.rating_label or None


class RegisterIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: Kind
    field: ServiceField
    registration: Registration
    registration_authority: str = Field(..., min_length=1, max_length=100)
    registered_on: date
    region_code: str = Field(..., min_length=6, max_length=12, description="the registering office's region")
    rep_name: str = Field(..., min_length=1, max_length=50)
    credit_code: str = Field("", max_length=24, description="18 characters (GB 32100); optional for 备案")
    rep_id_number: str = Field("", max_length=30)
    rep_phone: str = Field("", max_length=20)
    service_area: list[str] = Field(default=[], max_length=50)
    staff_count: int = Field(0, ge=0, le=1_000_000)
    volunteer_count: int = Field(0, ge=0, le=1_000_000)
    address: str = Field("", max_length=200)
    business_scope: str = Field("", max_length=2000)
    party_organization: str = Field("", max_length=200)


class RatingIn(Schema):
    rating: int | None = Field(..., ge=1, le=5, description="1–5 for 1A–5A; null clears the grade")
    rated_on: date | None = None
    expires_on: date | None = None


class EligibilityOut(Schema):
    eligible: bool
    problems: list[str]


class ReportIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    income: Decimal = Field(Decimal(0), ge=0, le=Decimal("1e11"))
    expenditure: Decimal = Field(Decimal(0), ge=0, le=Decimal("1e11"))
    activities: int = Field(0, ge=0, le=1_000_000)
    beneficiaries: int = Field(0, ge=0, le=100_000_000)
    summary: str = Field("", max_length=5000)


class ReportOut(Schema):
    id: int
    year: int
    status: str
    submitted_at: datetime | None = None
    review_note: str


class HubOut(Schema):
    id: int
    organization_id: int
    organization: str
    subdistrict_code: str
    field: str
    designated: bool
    designated_on: date
    ended_on: date | None = None

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_subdistrict_code(obj) -> str:
        return obj.region_code


class DesignateIn(Schema):
    organization_id: int = Field(..., ge=1, le=BIG)
    subdistrict_code: str = Field(..., min_length=9, max_length=9)
    field: ServiceField
    designated_on: date
    resources: str = Field("", max_length=2000)


class MemberIn(Schema):
    member_id: int = Field(..., ge=1, le=BIG)
    joined_on: date
    note: str = Field("", max_length=200)


class MembershipOut(Schema):
    id: int
    hub_id: int
    member_id: int
    joined_on: date
    left_on: date | None = None


class MemberFigureOut(Schema):
    member_id: int
    name: str
    joined_on: date
    joint_activities: int
    projects: int
    people_served: int
    service_hours: float
    training_signins: int
    last_year_report: str


class ApplyIn(Schema):
    cohort_id: int = Field(..., ge=1, le=BIG)
    needs: str = Field(..., min_length=1, max_length=2000)
    plan: str = Field("", max_length=5000)


class ApplicationOut(Schema):
    id: int
    organization_id: int
    cohort_id: int
    status: str
    submitted_at: datetime
    decision_reason: str
    incubation_id: int | None = None

    @staticmethod
    def resolve_incubation_id(obj) -> int | None:
        incubation = getattr(obj, "incubation", None) if obj.status == "admitted" else None
        return incubation.pk if incubation else None


class DecisionIn(Schema):
    admit: bool
    reason: str = Field("", max_length=500)


class ServiceIn(Schema):
    kind: ServiceLog.Kind
    delivered_on: date
    hours: Decimal = Field(..., gt=0, le=24)
    note: str = Field("", max_length=500)


class ServiceOut(Schema):
    id: int
    incubation_id: int
    kind: str
    delivered_on: date
    hours: float
    staff_id: int


class MilestoneIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    due_on: date


class MilestoneDoneIn(Schema):
    done_on: date | None = None
    evidence: str = Field("", max_length=500)


class MilestoneOut(Schema):
    id: int
    incubation_id: int
    title: str
    due_on: date
    done_on: date | None = None


class CohortFiguresOut(Schema):
    cohort_id: int | None = None
    name: str
    current: int
    graduated: int
    left: int
    services: int
    service_hours: float
    milestones_done: int
    milestones_open: int
    milestones_overdue: int
    graduation_rate: float | None = None


class CheckinIn(Schema):
    token: str = Field(..., min_length=8, max_length=64)
    attendee: str = Field("", max_length=50)


class AttendanceOut(Schema):
    id: int
    session_id: int
    organization_id: int
    attendee: str
    signed_in_at: datetime
