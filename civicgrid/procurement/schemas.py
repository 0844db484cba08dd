"""Input and output shapes of the procurement API."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

BIG = 2**31 - 1


class BudgetLineOut(Schema):
    id: int
    region_code: str
    year: int
    department: str
    amount: Decimal
    committed: Decimal
    paid: Decimal


class PurchaseOut(Schema):
    id: int
    region_code: str
    title: str
    description: str
    stage: str
    item_id: int
    budget_line_id: int
    ceiling: Decimal
    recurring: bool
    beneficiary_regions: list[str]
    need_kind: str
    need_category: str
    need_regions: list[str]
    need_before: dict
    bid_deadline: date | None
    published_at: datetime | None
    award_amount: Decimal | None
    award_reason: str
    awarded_at: datetime | None


class StageColumn(Schema):
    stage: str
    label: str
    purchases: list[PurchaseOut]


class BidIn(Schema):
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)
    proposal: str = Field(..., max_length=4000)
    beneficiaries_planned: int = Field(0, ge=0, le=10_000_000)


class BidOut(Schema):
    id: int
    purchase_id: int
    organization_id: int
    amount: Decimal
    state: str
    submitted_at: datetime


class AwardIn(Schema):
    bid_id: int = Field(..., ge=1, le=BIG)
    reason: str = Field(..., max_length=4000)


class ValueOut(Schema):
    contract_id: int
    amount: Decimal
    paid: Decimal
    beneficiaries: int
    staff_hours: Decimal
    volunteer_hours: Decimal
    cost_per_beneficiary: Decimal | None
    cost_per_hour: Decimal | None
