"""The demo territory: Shijingshan's real subdistricts and communities inside the real district outline, with
generated (and flagged) boundaries below district level, 4–8 grids per community and generated places whose
households and population add up to each grid, community, subdistrict and the district (about 560,000)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from civicgrid.core import audit
from civicgrid.core.errors import Conflict, ValidationFailed
from civicgrid.territory import geometry as geo
from civicgrid.territory import locate
from civicgrid.territory.demo_names import NameMaker
from civicgrid.territory.divisions import DivisionRow, parse_divisions
from civicgrid.territory.models import RESIDENTIAL_KINDS, Level, Place, PlaceKind, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
DIVISIONS_CSV = DATA_DIR / "shijingshan_divisions.csv"
OUTLINE_GEOJSON = DATA_DIR / "shijingshan_outline.geojson"
DISTRICT_CODE = "110107"
DISTRICT_POPULATION = 560_000
COMMUNITY_MEDIAN = 3_700
CHINESE_NUMERALS = "一二三四五六七八九十"
SCALES = ("default", "full")  # the territory is the same at every scale; only the number of residents differs
GRIDS_PER_COMMUNITY = (4, 8)
COMPOUNDS_PER_GRID = (2, 5)
RESIDENTIAL_MIX = {PlaceKind.COMMODITY_HOUSING: 0.34, PlaceKind.OLD_COMPOUND: 0.30, PlaceKind.RESETTLEMENT: 0.12,
                   PlaceKind.UNIT_COMPOUND: 0.11, PlaceKind.PUBLIC_RENTAL: 0.07, PlaceKind.BUNGALOW: 0.06}
BUILT = {PlaceKind.COMMODITY_HOUSING: (1998, 2021), PlaceKind.OLD_COMPOUND: (1965, 1997),
         PlaceKind.RESETTLEMENT: (2004, 2022), PlaceKind.UNIT_COMPOUND: (1956, 1992),
         PlaceKind.PUBLIC_RENTAL: (2011, 2023), PlaceKind.BUNGALOW: (1950, 1982),
         PlaceKind.OFFICE_BUILDING: (1995, 2022), PlaceKind.SHOP: (1985, 2022), PlaceKind.FACILITY_SITE: (1990, 2023)}


@dataclass
class Node:
    code: str
    name: str
    level: str
    parent: Node | None = None
    shape: object = None
    weight: float = 1.0
    population: int = 0
    households: int = 0
    children: list[Node] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)


def _read_tree() -> Node:
    rows, problems = parse_divisions(DIVISIONS_CSV.read_text(encoding="utf-8-sig"), known=lambda codes: set())
    if problems:
        raise ValidationFailed(code="invalid_divisions", details=problems)
    by_code: dict[str, Node] = {}
    for row in sorted(rows, key=lambda r: (len(r.code), r.code)):
        by_code[row.code] = _node(row, by_code)
    return by_code[DISTRICT_CODE]


def _node(row: DivisionRow, by_code: dict[str, Node]) -> Node:
    parent = by_code.get(row.parent_code) if row.level != Level.DISTRICT else None
    node = Node(row.code, row.name, row.level, parent)
    if parent is not None:
        parent.children.append(node)
    return node


def _outline():
    data = json.loads(OUTLINE_GEOJSON.read_text(encoding="utf-8"))
    feature = next(f for f in data["features"] if str(f["properties"]["code"]) == DISTRICT_CODE)
    return geo.single_polygon(geo.from_geojson(feature))


def _split_integer(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to weights that add up exactly to total (largest remainders)."""
    raw = total * weights / weights.sum()
    parts = np.floor(raw).astype(int)
    short = total - int(parts.sum())
    parts[np.argsort(raw - parts)[::-1][:short]] += 1
    return parts


def _community_figures(district: Node, rng: np.random.Generator) -> None:
    """Population of each community (lognormal around the median, scaled to the district total) and an
    area weight (population over a varying density)."""
    communities = [c for s in district.children for c in s.children]
    raw = rng.lognormal(np.log(COMMUNITY_MEDIAN), 0.45, len(communities))
    populations = _split_integer(DISTRICT_POPULATION, raw)
    spread = rng.lognormal(0.0, 0.4, len(communities))
    for community, population, density in zip(communities, populations, spread, strict=True):
        community.population = int(population)
        community.weight = float(population) * float(density)
    for sub in district.children:
        sub.weight = sum(c.weight for c in sub.children)


def _partition(node: Node, seed: int) -> None:
    pieces = geo.partition(node.shape, [child.weight for child in node.children], seed=seed)
    for child, piece in zip(node.children, pieces, strict=True):
        child.shape = piece


def _add_grids(community: Node, rng: np.random.Generator) -> None:
    count = int(rng.integers(GRIDS_PER_COMMUNITY[0], GRIDS_PER_COMMUNITY[1] + 1))
    weights = rng.uniform(0.6, 1.4, count)
    populations = _split_integer(community.population, weights)
    for index in range(count):
        name = f"{community.name}第{CHINESE_NUMERALS[index]}网格"
        community.children.append(Node(f"{community.code}{index + 1:03d}", name, Level.GRID,
                                       community, weight=float(weights[index]),
                                       population=int(populations[index])))


def _generate_geometry(district: Node, seed: int, rng: np.random.Generator) -> None:
    district.shape = _outline()
    _partition(district, seed)
    for sub in district.children:
        _partition(sub, seed + int(sub.code[-3:]))
        for community in sub.children:
            _add_grids(community, rng)
            _partition(community, seed + int(community.code[-6:]))


def _place(grid: Node, kind: str, name: str, point, population: int, households: int,
           rng: np.random.Generator, address: str) -> Place:
    low, high = BUILT[PlaceKind(kind)]
    return Place(name=name, kind=kind, region_code=grid.code, lon=float(point[0]), lat=float(point[1]),
                 geometry_generated=True, households=households, population=population, address=address,
                 built_year=int(rng.integers(low, high + 1)))


def _add_places(grid: Node, names: NameMaker, rng: np.random.Generator, address: str) -> None:
    n_homes = int(rng.integers(COMPOUNDS_PER_GRID[0], COMPOUNDS_PER_GRID[1] + 1))
    kinds = list(RESIDENTIAL_MIX)
    home_kinds = rng.choice(kinds, size=n_homes, p=list(RESIDENTIAL_MIX.values()))
    extra = [PlaceKind.OFFICE_BUILDING] * int(rng.random() < 0.35) + [PlaceKind.SHOP] * int(rng.integers(1, 4))
    extra += [PlaceKind.FACILITY_SITE] * int(rng.random() < 0.25)
    lons, lats = geo.random_points(grid.shape, n_homes + len(extra), rng)
    populations = _split_integer(grid.population, 0.2 + rng.dirichlet(np.full(n_homes, 3.0)))
    for i, kind in enumerate(home_kinds):
        households = max(1, round(populations[i] / rng.uniform(2.3, 2.9))) if populations[i] else 0
        grid.places.append(_place(grid, str(kind), names.make(str(kind)), (lons[i], lats[i]), int(populations[i]),
                                  int(households), rng, address))
    for j, kind in enumerate(extra, start=n_homes):
        grid.places.append(_place(grid, kind, names.make(kind), (lons[j], lats[j]), 0, 0, rng, address))


def _roll_up(node: Node) -> None:
    if node.level == Level.GRID:
        node.population = sum(p.population for p in node.places if p.kind in RESIDENTIAL_KINDS)
        node.households = sum(p.households for p in node.places)
        return
    for child in node.children:
        _roll_up(child)
    node.population = sum(c.population for c in node.children)
    node.households = sum(c.households for c in node.children)


def _walk(node: Node):
    yield node
    for child in node.children:
        yield from _walk(child)


def _save(district: Node) -> tuple[int, int]:
    nodes = list(_walk(district))
    areas = geo.areas_km2([n.shape for n in nodes])
    saved: dict[str, Region] = {}
    for level in (Level.DISTRICT, Level.SUBDISTRICT, Level.COMMUNITY, Level.GRID):
        batch = []
        for node, area in zip(nodes, areas, strict=True):
            if node.level == level:
                lon, lat = geo.center(node.shape)
                batch.append(Region(code=node.code, name=node.name, level=level,
                                    parent=saved[node.parent.code] if node.parent else None,
                                    boundary=geo.to_geojson(node.shape), boundary_generated=level != Level.DISTRICT,
                                    center_lon=lon, center_lat=lat, area_km2=round(float(area), 6),
                                    population=node.population, households=node.households, geometry_version=1))
        for region in Region.objects.bulk_create(batch, batch_size=500):
            saved[region.code] = region
    places = []
    for node in nodes:
        for place in node.places:
            place.grid = saved[node.code]
            places.append(place)
    Place.objects.bulk_create(places, batch_size=1000)
    return len(saved), len(places)


@transaction.atomic
def build_demo_territory(*, actor=None, seed: int = 2026, scale: str = "default",
                         rng: np.random.Generator | None = None) -> dict:
    """Build Shijingshan (110107) with its real 9 subdistricts and 153 communities, generated boundaries,
    grids and places. Raises Conflict(code="demo_exists") when the district is already there."""
    if scale not in SCALES:
        raise ValidationFailed(_("Unknown demo scale."), code="invalid_scale", field="scale")
    if Region.objects.filter(code=DISTRICT_CODE).exists():
        raise Conflict(_("The demo district already exists; use a fresh database."), code="demo_exists")
    rng = rng or np.random.default_rng(seed)
    district = _read_tree()
    _community_figures(district, rng)
    _generate_geometry(district, seed, rng)
    for sub in district.children:
        for community in sub.children:
            names = NameMaker(community.name, rng)
            for grid in community.children:
                _add_places(grid, names, rng, f"北京市{district.name}{sub.name}{community.name}")
    _roll_up(district)
    regions, places = _save(district)
    summary = _summary(district, regions, places)
    audit.record(actor=actor, action="territory.demo.build", target_type="territory.region",
                 target_id=DISTRICT_CODE, region_code=DISTRICT_CODE, detail={**summary, "seed": seed})
    transaction.on_commit(locate.invalidate)
    return summary


def _summary(district: Node, regions: int, places: int) -> dict:
    levels = [n.level for n in _walk(district)]
    return {"subdistricts": levels.count(Level.SUBDISTRICT), "communities": levels.count(Level.COMMUNITY),
            "grids": levels.count(Level.GRID), "places": places, "regions": regions,
            "population": district.population, "households": district.households}
