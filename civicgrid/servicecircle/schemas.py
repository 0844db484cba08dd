"""API schemas of the service circle. Results carry places and communities, never people."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

BIG = 2**53
CODE_PATTERN = r"^\d{6}(\d{3}(\d{3}(\d{3})?)?)?$"


class CategoryOut(Schema):
    code: str
    name: str
    name_en: str
    level: str
    walk_distance_m: int
    source: str
    active: bool


class FacilityOut(Schema):
    id: int
    category: str
    category_name: str
    name: str
    region_code: str
    lon: float
    lat: float
    capacity: int | None
    opening_hours: str
    operator: str
    source: str
    generated: bool

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.code

    @staticmethod
    def resolve_category_name(obj) -> str:
        return obj.category.label


class FacilityListOut(Schema):
    count: int
    items: list[FacilityOut]


class FacilityFilter(Schema):
    category: str | None = Field(None, max_length=40)
    region: str | None = Field(None, pattern=CODE_PATTERN)
    q: str | None = Field(None, max_length=100)
    source: str | None = Field(None, max_length=16)
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=BIG)


class FacilityIn(Schema):
    category: str = Field(..., min_length=1, max_length=60, description="category code or Chinese name")
    name: str = Field(..., min_length=1, max_length=200)
    lon: float = Field(..., ge=-180, le=180)
    lat: float = Field(..., ge=-90, le=90)
    capacity: int | None = Field(None, ge=0, le=1_000_000)
    opening_hours: str = Field("", max_length=100)
    operator: str = Field("", max_length=200)


class RunIn(Schema):
    region_code: str = Field(..., pattern=CODE_PATTERN, description="the area to analyse (district to grid)")
    categories: list[str] = Field(default=[], max_length=60, description="category codes; default: all active")
    walk_speed_m_s: float | None = Field(None, ge=0.3, le=3.0)
    snap_limit_m: float | None = Field(None, ge=10, le=1000)


class RunCategoryOut(Schema):
    code: str
    name: str
    level: str
    walk_distance_m: int


class RunOut(Schema):
    id: int
    region_code: str
    status: str
    created_at: datetime
    finished_at: datetime | None
    network_version: int
    network_source: str
    network_generated: bool
    categories: list[RunCategoryOut]
    walk_speed_m_s: float
    snap_limit_m: float
    error: str


class UnsnappedOut(Schema):
    id: int
    name: str
    distance_m: float


class RunSummaryOut(Schema):
    places: int = 0
    places_unsnapped: int = 0
    unsnapped_places: list[UnsnappedOut] = []
    population: float = 0
    score: float | None = None
    covered_population: dict[str, float] = {}
    uncovered_population: dict[str, float] = {}
    facilities: dict[str, int] = {}
    facilities_unsnapped: dict[str, int] = {}


class RunDetailOut(RunOut):
    summary: RunSummaryOut


class CommunityOut(Schema):
    community_code: str
    name: str
    population: int
    places: int
    score: float | None
    covered: dict[str, float]
    uncovered: dict[str, float]


class GapOut(Schema):
    code: str
    name: str
    level: str
    walk_distance_m: int
    population: float
    covered_population: float
    uncovered_population: float
    covered_share: float | None


class RecommendationIn(Schema):
    category: str = Field(..., min_length=1, max_length=40)
    p: int = Field(..., ge=1, le=50)
    method: Literal["auto", "greedy", "exact"] = "auto"
    use_facility_sites: bool = True
    points: list[tuple[float, float]] = Field(default=[], max_length=200, description="[lon, lat] candidates")


class SiteOut(Schema):
    rank: int
    label: str
    place_id: int | None
    lon: float
    lat: float
    gain: float


class RecommendationOut(Schema):
    id: int
    run_id: int
    region_code: str
    category: str
    p: int
    method: str
    method_used: str
    status: str
    n_candidates: int
    population_total: float
    population_before: float
    new_population: float
    error: str
    sites: list[SiteOut]

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.code

    @staticmethod
    def resolve_sites(obj) -> list:
        return list(obj.sites.all())


class CompoundCheckIn(Schema):
    lon: float = Field(..., ge=-180, le=180)
    lat: float = Field(..., ge=-90, le=90)
    population: int = Field(0, ge=0, le=1_000_000)
    district_code: str = Field("110107", pattern=r"^\d{6}$")


class CompoundCheckOut(Schema):
    snapped: bool
    snap_distance_m: float
    distances: dict[str, float | None]
    missing: list[str]
    missing_names: list[str]
    population_affected: float


class IsochroneOut(Schema):
    type: str
    features: list[dict]
    snapped: bool
    snap_distance_m: float
