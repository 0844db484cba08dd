"""Reads of street assets. Staff lists go through the scope (an asset belongs to the grid it stands in); the
report page's picker (`near`) shows any signed-in reporter the assets around his pin — a lamp post or a manhole
cover is in plain sight on the street — with public fields only (code, class, name, owner, position)."""

import math

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from civicgrid.assets.models import Asset, AssetState
from civicgrid.core.errors import ValidationFailed
from civicgrid.core.scoping import ScopedQuerySet

NEAR_RADIUS_M = 150
MAX_NEAR_RADIUS_M = 500
METRES_PER_DEGREE_LAT = 111_320.0


def visible_assets(actor) -> ScopedQuerySet:
    return Asset.objects.visible_to(actor)


def list_assets(*, actor, region: str | None = None, kind: str | None = None, q: str | None = None) -> QuerySet:
    assets = visible_assets(actor)
    if region:
        assets = assets.within(region)
    if kind:
        assets = assets.filter(kind=kind)
    if q:
        assets = assets.filter(code__startswith=q[:16]) | assets.filter(name__contains=q[:50])
    return assets.order_by("code")


def get_asset(*, actor, code: str) -> Asset:
    return Asset.objects.get_visible(actor, code=code)


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Equirectangular distance: exact enough within a few hundred metres."""
    dx = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2)) * 6_371_008.8
    dy = math.radians(lat2 - lat1) * 6_371_008.8
    return math.hypot(dx, dy)


def near(*, lon: float, lat: float, radius_m: float = NEAR_RADIUS_M, kind: str | None = None,
         limit: int = 30) -> list[tuple[Asset, float]]:
    """Assets in use within `radius_m` of the point, nearest first, with their distance in metres."""
    radius_m = max(1.0, min(float(radius_m), MAX_NEAR_RADIUS_M))
    dlat = radius_m / METRES_PER_DEGREE_LAT
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    boxed = Asset.objects.within("").filter(lat__range=(lat - dlat, lat + dlat), lon__range=(lon - dlon, lon + dlon))
    boxed = boxed.exclude(state=AssetState.REMOVED)
    if kind:
        boxed = boxed.filter(kind=kind)
    found = [(a, distance_m(lon, lat, a.lon, a.lat)) for a in boxed[:2000]]
    found = sorted((pair for pair in found if pair[1] <= radius_m), key=lambda pair: pair[1])
    return found[:max(1, min(limit, 100))]


def asset_for_report(code: str) -> Asset:
    """The asset a reporter names (by code): any asset not removed; an unknown code is a validation error."""
    asset = Asset.objects.within("").filter(code=(code or "").strip()[:16]).exclude(state=AssetState.REMOVED).first()
    if asset is None:
        raise ValidationFailed(_("No street asset has this code."), code="unknown_asset", field="asset")
    return asset
