"""Demo street assets, GENERATED along the demo streets (territory.Street, themselves named runs of the generated
walking network): lamps, manhole covers, bins, trees, benches and signs at realistic spacings. Real Shijingshan
road names, synthetic positions; owner units are the district's usual owners (created by the cases demo)."""

import numpy as np
import shapely
from django.db import transaction

from civicgrid.assets.classes import make_code
from civicgrid.assets.models import Asset
from civicgrid.core import audit
from civicgrid.territory import geometry, locate
from civicgrid.territory.models import Street

# (code, name): handling units that own street assets
OWNER_UNITS = (("water", "北京市自来水集团石景山供水分公司"), ("power", "国网北京石景山供电公司"),
               ("greening", "区园林绿化局"), ("lighting", "区城市管理委员会路灯管理所"))
OWNER_NAMES = dict(OWNER_UNITS) | {"city": "区城市管理委员会"}
# (class, owner unit, spacing along the street in metres, side offset in metres)
PLAN = (("0118", "lighting", 40, 12), ("0101", "water", 90, 4), ("0103", "city", 60, -4), ("0105", "power", 120, 6),
        ("0306", "city", 80, -10), ("0402", "greening", 30, -12), ("0407", "greening", 250, 10),
        ("0207", "city", 400, 11))
METRES_PER_DEGREE = 111_320.0


def _points(line, spacing_m: float, offset_m: float) -> list[tuple[float, float]]:
    """Points every `spacing_m` along the street, `offset_m` to its side, as (lon, lat)."""
    lon0 = round(line.coords[0][0], 1)
    transformer = geometry._to_metric(lon0)
    metric = shapely.transform(line, transformer.transform, interleaved=False)
    side = metric.offset_curve(offset_m) if offset_m else metric
    if side.is_empty or side.geom_type != "LineString":
        side = metric
    points = shapely.line_interpolate_point(side, np.arange(spacing_m / 2, side.length, spacing_m))
    xy = shapely.get_coordinates(points)
    lons, lats = transformer.transform(xy[:, 0], xy[:, 1], direction="INVERSE")
    return list(zip(np.atleast_1d(lons).tolist(), np.atleast_1d(lats).tolist(), strict=True))


def seed_demo_assets(*, district_code: str = "110107") -> dict:
    made: list[Asset] = []
    sequences: dict[str, int] = {}
    for street in Street.objects.within(district_code).order_by("id"):
        line = geometry.from_geojson(street.geometry)
        for kind, owner, spacing, side in PLAN:
            for lon, lat in _points(line, spacing, side):
                sequences[kind] = sequences.get(kind, 0) + 1
                made.append(Asset(code=make_code(district_code, kind, sequences[kind]), kind=kind,
                                  name=f"{street.name}{kind}-{sequences[kind]}", owner_unit=owner,
                                  owner_name=OWNER_NAMES[owner], lon=lon, lat=lat,
                                  address=street.name, generated=True))
    codes = locate.locate_many(np.array([a.lon for a in made]), np.array([a.lat for a in made]))
    kept = [a for a, code in zip(made, codes, strict=True) if code]
    for asset, code in zip(kept, [c for c in codes if c], strict=True):
        asset.region_code = code
    with transaction.atomic():
        Asset.objects.within(district_code).filter(generated=True).delete()
        Asset.objects.bulk_create(kept, batch_size=1000)
        audit.record(actor=None, action="assets.demo", target_type="assets.asset", region_code=district_code,
                     detail={"count": len(kept)})
    return {"assets": len(kept)}
