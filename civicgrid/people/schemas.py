"""API schemas for residents and staff. Outputs carry masked ID numbers and phones only."""

from datetime import date
from typing import Literal

from ninja import Field, Schema

from civicgrid.people.models import SpecialGroup, StaffBody
from civicgrid.people.services import age_on

RevealField = Literal["id_number", "phone", "health_note"]


class PlaceRef(Schema):
    id: int
    name: str
    region_code: str


class ResidentOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: date
    age: int
    region_code: str
    place: PlaceRef
    household_id: int
    unit_label: str
    residence: str
    id_number_masked: str = Field(description="ID number with the birth date and sequence hidden")
    phone_masked: str = Field(description="phone number with the middle digits hidden; empty when unknown")
    groups: list[str]
    is_party_member: bool
    moved_in_on: date | None
    has_health_note: bool

    @staticmethod
    def resolve_age(obj) -> int:
        return age_on(obj.birth_date, date.today())

    @staticmethod
    def resolve_unit_label(obj) -> str:
        return obj.household.unit_label

    @staticmethod
    def resolve_groups(obj) -> list[str]:
        return [g.group for g in obj.groups.all()]

    @staticmethod
    def resolve_has_health_note(obj) -> bool:
        return bool(obj.health_note_cipher)


class ResidentListOut(Schema):
    count: int
    items: list[ResidentOut]


class ResidentFilters(Schema):
    region: str | None = Field(None, max_length=15, pattern=r"^\d*$", description="region code (subtree)")
    place: int | None = Field(None, ge=1, le=2**62)
    group: SpecialGroup | None = None
    gender: Literal["male", "female"] | None = None
    age_min: int | None = Field(None, ge=0, le=150)
    age_max: int | None = Field(None, ge=0, le=150)
    q: str | None = Field(None, max_length=50, description="part of the name")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)

    def selector_kwargs(self) -> dict:
        return {"region": self.region, "place_id": self.place, "group": self.group, "gender": self.gender,
                "age_min": self.age_min, "age_max": self.age_max, "q": self.q}


class ResidentIn(Schema):
    place_id: int = Field(..., ge=1, le=2**62)
    unit_label: str = Field(..., max_length=50, examples=["3号楼2单元501室"])
    name: str = Field(..., max_length=50)
    id_number: str = Field(..., max_length=30, description="GB 11643 resident identity number")
    phone: str = Field("", max_length=30)
    groups: list[SpecialGroup] = Field(default_factory=list, max_length=20)
    residence: Literal["registered", "floating"] = "registered"
    is_party_member: bool = False
    health_note: str = Field("", max_length=500)
    moved_in_on: date | None = None


class RevealIn(Schema):
    field: RevealField
    purpose: str = Field("", max_length=200, description="why the full value is needed; required for id_number")


class RevealOut(Schema):
    field: RevealField
    value: str


class LookupIn(Schema):
    id_number: str = Field(..., max_length=30)


class StaffOut(Schema):
    id: int
    name: str
    body: StaffBody
    position: str
    region_code: str
    grids: list[str]
    is_party_member: bool
    phone_masked: str
    username: str | None

    @staticmethod
    def resolve_grids(obj) -> list[str]:
        return [g.code for g in obj.grids.all()]

    @staticmethod
    def resolve_username(obj) -> str | None:
        return obj.user.username if obj.user_id else None


class StaffListOut(Schema):
    count: int
    items: list[StaffOut]


class StaffFilters(Schema):
    region: str | None = Field(None, max_length=15, pattern=r"^\d*$")
    body: StaffBody | None = None
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)
