"""Street-asset API: the registry in your area, one asset, the assets near a point (the report picker) and the
import (CSV or GeoJSON upload, all or nothing)."""

from ninja import File, Path, Query, Router
from ninja.files import UploadedFile

from civicgrid.assets import selectors, services
from civicgrid.assets.schemas import (
    CODE_PATTERN,
    AssetFilter,
    AssetListOut,
    AssetOut,
    ImportResultOut,
    NearAssetOut,
    NearQuery,
)
from civicgrid.core.schemas import errors

router = Router(tags=["assets"])
ERRORS = errors(400, 401, 404, 422)


@router.get("/assets", response={200: AssetListOut, **ERRORS}, summary="Street assets (部件) in your jurisdiction")
def list_assets(request, filters: Query[AssetFilter]):
    assets = selectors.list_assets(actor=request.auth, region=filters.region, kind=filters.kind, q=filters.q)
    return {"count": assets.count(), "items": list(assets[filters.offset:filters.offset + filters.limit])}


@router.get("/assets/near", response={200: list[NearAssetOut], **ERRORS},
            summary="Assets in use near a point, nearest first (public fields only: the report page's picker)")
def assets_near(request, query: Query[NearQuery]):
    found = selectors.near(lon=query.lon, lat=query.lat, radius_m=query.radius_m, kind=query.kind, limit=query.limit)
    return [{"code": a.code, "kind": a.kind, "kind_name": str(a.get_kind_display()), "name": a.name,
             "owner_name": a.owner_name, "lon": a.lon, "lat": a.lat, "distance_m": round(d, 1)} for a, d in found]


@router.post("/assets/import", response={200: ImportResultOut, **errors(400, 401, 403, 404, 409, 413, 422)},
             summary="Import assets from CSV or GeoJSON; with any bad row nothing is written")
def import_assets(request, file: File[UploadedFile]):
    return services.import_assets(actor=request.auth, name=file.name or "", data=file.read())


@router.get("/assets/{asset_code}", response={200: AssetOut, **ERRORS}, summary="One street asset")
def get_asset(request, asset_code: str = Path(..., pattern=CODE_PATTERN)):
    return selectors.get_asset(actor=request.auth, code=asset_code)
