"""Input and output shapes of the territory API."""

from typing import Literal

from ninja import Field, Schema

from civicgrid.territory.divisions import parent_code
from civicgrid.territory.models import Level, PlaceKind

CODE_PATTERN = r"^\d{6}(\d{3}){0,3}$"
MAX_LIMIT = 500


class RegionFilter(Schema):
    level: Level | None = Field(None, description="district, subdistrict, community or grid")
    parent: str | None = Field(None, pattern=CODE_PATTERN, description="code of the parent region")
    q: str | None = Field(None, max_length=100, description="part of the name, or a code prefix")
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10_000_000)


class PlaceFilter(Schema):
    region: str | None = Field(None, pattern=CODE_PATTERN, description="code of a region: places in its subtree")
    kind: PlaceKind | None = None
    q: str | None = Field(None, max_length=100, description="part of the name or address")
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10_000_000)


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None
    population: int
    households: int
    area_km2: float | None
    boundary_generated: bool

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return parent_code(obj["code"] if isinstance(obj, dict) else obj.code)


class CrumbOut(Schema):
    code: str
    name: str
    level: str


class RegionDetailOut(RegionOut):
    boundary: dict | None
    center_lon: float | None
    center_lat: float | None
    geometry_version: int
    ancestors: list[CrumbOut]


DETAIL_FIELDS = ("code", "name", "level", "population", "households", "area_km2", "boundary_generated", "boundary",
                 "center_lon", "center_lat", "geometry_version")


def region_detail(region, ancestors) -> dict:
    """The body of RegionDetailOut for a region and its ancestor crumbs."""
    body = {name: getattr(region, name) for name in DETAIL_FIELDS}
    body["ancestors"] = [{"code": a.code, "name": a.name, "level": a.level} for a in ancestors]
    return body


class RegionListOut(Schema):
    count: int
    items: list[RegionOut]


class RegionFeatureProperties(Schema):
    code: str
    name: str
    level: str
    population: int
    households: int
    area_km2: float | None
    generated: bool


class RegionFeature(Schema):
    type: Literal["Feature"]
    geometry: dict | None
    properties: RegionFeatureProperties


class RegionFeatureCollection(Schema):
    type: Literal["FeatureCollection"]
    features: list[RegionFeature]


class PlaceOut(Schema):
    id: int
    name: str
    kind: str
    grid_code: str
    lon: float
    lat: float
    households: int
    population: int
    address: str
    built_year: int | None
    geometry_generated: bool

    @staticmethod
    def resolve_grid_code(obj) -> str:
        return obj.region_code


class PlaceDetailOut(PlaceOut):
    kind_label: str
    geometry: dict | None
    gates: list[list[float]]

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


class PlaceListOut(Schema):
    count: int
    items: list[PlaceOut]


class AddressQuery(Schema):
    q: str = Field(..., min_length=1, max_length=60, description="a street, road, compound or building name, or "
                                                                 "a house number such as 鲁谷路74号")
    limit: int = Field(10, ge=1, le=20)


class AddressHitOut(Schema):
    kind: Literal["street", "place"]
    name: str
    label: str
    lon: float
    lat: float
    approximate: bool = Field(description="true when the point is the street's, not the house number's")
    rank: int = Field(description="0 exact, 1 prefix, 2 contains")
    place_kind: str
