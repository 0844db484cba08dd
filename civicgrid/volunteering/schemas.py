"""API schemas for volunteering. Personal identifiers appear masked only."""

from datetime import date, datetime

from ninja import Field, Schema

from civicgrid.volunteering.models import HelpRequest, Skill

BIG = 2**53


class RegisterIn(Schema):
    name: str = Field(..., min_length=1, max_length=50)
    id_number: str = Field(..., min_length=15, max_length=30)
    phone: str = Field(..., min_length=7, max_length=20)
    region_code: str = Field(..., min_length=12, max_length=12, description="community code")
    consent: bool = Field(..., description="consent to keep service records (志愿服务条例)")
    skills: list[Skill] = Field(default=[], max_length=8)
    available_weekdays: list[int] = Field(default=[], max_length=7)


class VolunteerOut(Schema):
    id: int
    name: str
    id_number_masked: str
    phone_masked: str
    region_code: str
    skills: list[str]
    available_weekdays: list[int]
    verified: bool
    balance: int

    @staticmethod
    def resolve_verified(obj) -> bool:
        return obj.verified_at is not None

    @staticmethod
    def resolve_balance(obj) -> int:
        return obj.account.balance


class ShiftOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    capacity: int
    cancelled_at: datetime | None = None
    cancel_reason: str = ""


class CancelShiftIn(Schema):
    reason: str = Field(..., min_length=1, max_length=200, description="told to every signed-up volunteer")


class ActivityOut(Schema):
    id: int
    title: str
    team: str
    region_code: str
    place_name: str
    target_groups: list[str]
    is_project: bool
    shifts: list[ShiftOut]

    @staticmethod
    def resolve_team(obj) -> str:
        return obj.team.name

    @staticmethod
    def resolve_shifts(obj) -> list:
        return list(obj.shifts.all())


class SignupOut(Schema):
    id: int
    shift_id: int
    status: str


class ScanIn(Schema):
    token: str = Field(..., min_length=1, max_length=40)


class RecordOut(Schema):
    id: int
    volunteer_id: int
    team_id: int
    service_date: date
    minutes: int
    content: str
    status: str
    revision: int


class DenyIn(Schema):
    reason: str = Field(default="", max_length=200)


class CorrectionIn(Schema):
    minutes: int = Field(..., ge=1, le=1440)
    reason: str = Field(..., min_length=1, max_length=500)


class CorrectionOut(Schema):
    id: int
    record_id: int
    minutes: int
    status: str


class MovementOut(Schema):
    id: int
    kind: str
    memo: str
    amount: int
    at: datetime


class PointsOut(Schema):
    balance: int
    movements: list[MovementOut]


class OfferOut(Schema):
    id: int
    shop: str
    title: str
    kind: str
    points: int
    stock: int
    valid_until: date

    @staticmethod
    def resolve_shop(obj) -> str:
        return obj.shop.name


class KeyIn(Schema):
    key: str = Field(..., min_length=8, max_length=80, description="idempotency key: a replay returns the first result")


class RedemptionOut(Schema):
    id: int
    offer_id: int
    points: int
    code: str
    status: str
    expires_at: datetime


class ConfirmCodeIn(Schema):
    code: str = Field(..., min_length=1, max_length=12)


class DonateIn(KeyIn):
    amount: int = Field(..., ge=1, le=1_000_000)
    volunteer_id: int | None = Field(default=None, ge=1, le=BIG)
    resident_id: int | None = Field(default=None, ge=1, le=BIG)


class ReverseIn(KeyIn):
    reason: str = Field(..., min_length=1, max_length=200)


class TransferOut(Schema):
    id: int
    kind: str
    amount: int
    source_id: int
    target_id: int
    reverses_id: int | None


class HelpIn(Schema):
    resident_id: int = Field(..., ge=1, le=BIG)
    kind: HelpRequest.Kind
    description: str = Field(..., min_length=1, max_length=500)
    needed_at: datetime


class HelpOut(Schema):
    id: int
    kind: str
    description: str
    region_code: str
    status: str
    needed_at: datetime
    volunteer_id: int | None
    escalated: bool

    @staticmethod
    def resolve_escalated(obj) -> bool:
        return obj.escalated_at is not None


class CompleteIn(Schema):
    minutes: int = Field(..., ge=1, le=720)
    note: str = Field(default="", max_length=300)


class CandidateOut(Schema):
    volunteer_id: int
    name: str
    distance_m: float | None
    skill: bool
    available: bool
    recent_load: int
    score: float


class CertificateOut(Schema):
    number: str
    holder: str
    id_number_masked: str
    hours: float
    records: int
    issuer: str
    issued_at: datetime
    verify_url: str


class StatRow(Schema):
    key: str
    hours: float
    records: int


class StatsOut(Schema):
    active_90: int
    visited_30: dict
    visited_90: dict
    points: dict
    by_community: list[StatRow]
    by_team: list[StatRow]
    by_month: list[StatRow]
