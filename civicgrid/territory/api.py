"""Territory API: regions, their children as GeoJSON, places and point-in-grid lookup."""

from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from civicgrid.core.errors import NotFound
from civicgrid.core.schemas import errors
from civicgrid.territory import addresses, selectors
from civicgrid.territory import locate as grid_locate
from civicgrid.territory.schemas import (
    CODE_PATTERN,
    AddressHitOut,
    AddressQuery,
    PlaceDetailOut,
    PlaceFilter,
    PlaceListOut,
    RegionDetailOut,
    RegionFeatureCollection,
    RegionFilter,
    RegionListOut,
    RegionOut,
    region_detail,
)

router = Router(tags=["territory"])

ERRORS = errors(400, 401, 404, 422)
MAX_ID = 2**63 - 1


def _page(queryset, limit: int, offset: int) -> dict:
    return {"count": queryset.count(), "items": list(queryset[offset:offset + limit])}


@router.get("/regions", response={200: RegionListOut, **ERRORS},
            summary="Regions in your jurisdiction, filtered by level, parent or name")
def list_regions(request, filters: Query[RegionFilter]):
    regions = selectors.list_regions(actor=request.auth, level=filters.level, parent=filters.parent, q=filters.q)
    return _page(regions, filters.limit, filters.offset)


@router.get("/regions/{code}", response={200: RegionDetailOut, **ERRORS},
            summary="One region with its boundary (GeoJSON, WGS-84) and ancestors")
def get_region(request, code: str = Path(..., pattern=CODE_PATTERN)):
    region = selectors.get_region(actor=request.auth, code=code)
    ancestors = [c for c in selectors.breadcrumbs(actor=request.auth, region=region) if c.code != code]
    return region_detail(region, ancestors)


@router.get("/regions/{code}/children.geojson", response={200: RegionFeatureCollection, **ERRORS},
            summary="The children of a region as a GeoJSON FeatureCollection")
def region_children(request, code: str = Path(..., pattern=CODE_PATTERN)):
    return selectors.children_geojson(actor=request.auth, code=code)


@router.get("/places", response={200: PlaceListOut, **ERRORS},
            summary="Compounds, buildings, shops and sites in your jurisdiction")
def list_places(request, filters: Query[PlaceFilter]):
    places = selectors.list_places(actor=request.auth, region=filters.region, kind=filters.kind, q=filters.q)
    return _page(places, filters.limit, filters.offset)


@router.get("/places/{place_id}", response={200: PlaceDetailOut, **ERRORS}, summary="One place")
def get_place(request, place_id: int = Path(..., ge=1, le=MAX_ID)):
    return selectors.get_place(actor=request.auth, place_id=place_id)


@router.get("/locate", response={200: RegionOut, **ERRORS},
            summary="The grid containing a point (404 outside_district when no grid contains it)")
def locate(request, lon: float = Query(..., ge=-180, le=180), lat: float = Query(..., ge=-90, le=90)):
    grid = grid_locate.locate(lon, lat)
    if grid is None:
        raise NotFound(_("No grid contains this point."), code="outside_district")
    return selectors.get_region(actor=request.auth, code=grid.code)


@router.get("/addresses", response={200: list[AddressHitOut], **ERRORS},
            summary="Address search: streets, compounds, buildings and house numbers (exact > prefix > contains)")
def search_addresses(request, query: Query[AddressQuery]):
    return [hit.as_dict() for hit in addresses.search(query.q, limit=query.limit)]
