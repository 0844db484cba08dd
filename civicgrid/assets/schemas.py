"""Input and output shapes of the street-asset API."""

from ninja import Field, Schema

CODE_PATTERN = r"^\d{16}$"
REGION_PATTERN = r"^\d{6}(\d{3}){0,3}$"


class AssetFilter(Schema):
    region: str | None = Field(None, pattern=REGION_PATTERN, description="assets in this region's subtree")
    kind: str | None = Field(None, pattern=r"^\d{4}$", description="GB/T 30428 class, e.g. 0118 street lamp")
    q: str | None = Field(None, max_length=50, description="a code prefix or part of the name")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)


class NearQuery(Schema):
    lon: float = Field(..., ge=-180, le=180)
    lat: float = Field(..., ge=-90, le=90)
    radius_m: float = Field(150, ge=1, le=500)
    kind: str | None = Field(None, pattern=r"^\d{4}$")
    limit: int = Field(30, ge=1, le=100)


class AssetOut(Schema):
    code: str
    kind: str
    kind_name: str
    name: str
    owner_unit: str
    owner_name: str
    lon: float
    lat: float
    region_code: str
    address: str
    state: str
    generated: bool

    @staticmethod
    def resolve_kind_name(obj) -> str:
        return str(obj.get_kind_display())


class AssetListOut(Schema):
    count: int
    items: list[AssetOut]


class NearAssetOut(Schema):
    code: str
    kind: str
    kind_name: str
    name: str
    owner_name: str
    lon: float
    lat: float
    distance_m: float


class ImportResultOut(Schema):
    created: int
    updated: int
    unchanged: int
    errors: list[dict]
