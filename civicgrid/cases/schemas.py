"""API schemas for cases. The reporter's phone appears masked only."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from civicgrid.cases.models import Channel, Publication, Satisfaction, State

BIG = 2**53
Action = Literal["register", "reject", "dispatch", "redispatch", "return", "accept", "reply", "verify", "rework",
                 "close", "rate", "reopen", "park", "resume", "void", "merge", "urgent", "comment"]


class CaseCategoryOut(Schema):
    id: int
    code: str
    name: str
    parent_id: int | None
    time_limit: int
    time_unit: str
    default_unit_id: int | None


class HandlingUnitOut(Schema):
    id: int
    code: str
    name: str


class CaseFilters(Schema):
    state: State | None = None
    category_id: int | None = Field(default=None, ge=1, le=BIG)
    unit_id: int | None = Field(default=None, ge=1, le=BIG)
    region: str | None = Field(default=None, pattern=r"^\d{6,15}$")
    urgent: bool | None = None
    overdue: bool | None = None
    q: str | None = Field(default=None, max_length=100)
    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0, le=1_000_000)


class CaseIn(Schema):
    description: str = Field(..., min_length=2, max_length=4000)
    lon: float | None = Field(default=None, ge=-180, le=180)
    lat: float | None = Field(default=None, ge=-90, le=90)
    address: str = Field(default="", max_length=200)
    category_id: int | None = Field(default=None, ge=1, le=BIG)
    phone: str = Field(default="", max_length=20)
    urgent: bool = False
    channel: Literal[Channel.RESIDENT, Channel.PATROL] = Channel.RESIDENT
    publish: bool = Field(default=False, description="The reporter asks to show the report publicly (resident "
                                                     "reports only; staff review it and hide personal details)")


class CaseActionIn(Schema):
    note: str = Field(default="", max_length=2000)
    unit_id: int | None = Field(default=None, ge=1, le=BIG)
    category_id: int | None = Field(default=None, ge=1, le=BIG)
    into_id: int | None = Field(default=None, ge=1, le=BIG)
    review_on: date | None = None
    satisfaction: Satisfaction | None = None
    resolved: bool | None = None
    urgent: bool | None = None


class CaseOut(Schema):
    id: int
    number: str
    state: State
    channel: str
    category_id: int | None
    category_name: str | None
    description: str
    lon: float
    lat: float
    address: str
    region_code: str
    unit_id: int | None
    unit_name: str | None
    urgent: bool
    overdue: bool
    reported_at: datetime
    deadline: datetime | None
    rework_count: int
    phone_masked: str
    satisfaction: str
    resolved: bool | None
    publication: Publication

    @staticmethod
    def resolve_category_name(obj) -> str | None:
        return obj.category.name if obj.category_id else None

    @staticmethod
    def resolve_unit_name(obj) -> str | None:
        return obj.unit.name if obj.unit_id else None


class CasePage(Schema):
    count: int
    items: list[CaseOut]


class CaseEventOut(Schema):
    kind: str
    from_state: str
    to_state: str
    actor_role: str
    at: datetime
    note: str


class CaseDetailOut(CaseOut):
    events: list[CaseEventOut]
    actions: list[str]

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())


class CaseDuplicateOut(Schema):
    case: CaseOut
    distance_m: float


class CaseSuggestionOut(Schema):
    category_id: int | None
    category_name: str | None
    source: str | None
    unit_id: int | None
    unit_name: str | None


class CaseStatsRowOut(Schema):
    key: str
    label: str
    counts: dict[str, int]
    rates: dict[str, float | None]


class CaseStatsOut(Schema):
    source: str
    total: CaseStatsRowOut
    rows: list[CaseStatsRowOut]
