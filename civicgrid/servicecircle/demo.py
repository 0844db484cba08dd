"""Demo data for the service circle: a generated walking network inside the real district outline, the default
categories, a few hundred generated facilities (some categories deliberately sparse, so the map shows gaps),
one analysis and one site recommendation. Everything generated is marked so (network, facility source)."""

from __future__ import annotations

import time

import numpy as np
from django.db import transaction

from civicgrid.accounts.models import Role, User
from civicgrid.core import audit
from civicgrid.core.errors import ConfigurationError
from civicgrid.servicecircle import engine, services
from civicgrid.servicecircle.engine.streets import name_streets
from civicgrid.servicecircle.models import Category, Facility, Status
from civicgrid.servicecircle.reference import seed_categories
from civicgrid.territory import geometry, locate
from civicgrid.territory import services as territory_services
from civicgrid.territory.models import RESIDENTIAL_KINDS, Level, Place, PlaceKind, Region

DISTRICT = "110107"
DEMO_NODES = 30_000
# Real road names of Shijingshan, laid on the generated network's long straight runs (not where the roads run).
EAST_WEST_NAMES = ("阜石路", "石景山路", "鲁谷路", "莲石东路", "京原路", "金顶街", "八角西街", "杨庄大街",
                   "模式口大街", "鲁谷大街")
NORTH_SOUTH_NAMES = ("古城大街", "苹果园路", "杨庄路", "八角路", "玉泉西路", "永乐西街", "金顶北路", "衙门口路")
# facilities per category in the demo district (about 85 km², 150 communities); the small counts are the gaps
DEMO_COUNTS = {
    "middle_school": 24, "health_center": 16, "culture_center": 20, "nursing_home": 5, "sports_ground": 8,
    "primary_school": 55, "market": 60, "kindergarten": 110, "service_station": 150, "elderly_daycare": 14,
    "health_station": 70, "convenience_store": 150, "breakfast": 70, "pharmacy": 60, "greengrocer": 55,
    "repair": 25, "housekeeping": 6, "parcel": 70, "laundry": 20, "hairdresser": 40,
}
HOURS = {"15min": "08:00-17:00", "10min": "07:00-19:00", "5min": "08:00-18:00", "convenience": "07:00-22:00"}
RECOMMEND_CATEGORY = "elderly_daycare"
SPARSE = {"nursing_home", "sports_ground", "elderly_daycare", "housekeeping"}
CANDIDATES = 800


def _actor(district_code: str):
    actor = (User.objects.filter(role=Role.DISTRICT, region_code=district_code, is_active=True).order_by("id").first()
             or User.objects.filter(is_superuser=True, is_active=True).order_by("id").first())
    if actor is None:
        raise ConfigurationError("the service-circle demo needs a district account or a superuser")
    return actor


def _facilities(*, district: Region, graph: engine.WalkGraph, rng: np.random.Generator) -> list[Facility]:
    """Facilities on network nodes. Well-provided categories are sited as a planner would (greedy coverage of
    residents over a sample of compounds); the SPARSE ones are few and scattered at random, so they show gaps."""
    rows = list(Place.objects.within(district.code).filter(kind__in=RESIDENTIAL_KINDS)
                .values_list("lon", "lat", "population"))
    if not rows:
        rows = [(float(graph.lon[i]), float(graph.lat[i]), 1) for i in rng.integers(0, graph.n_nodes, 200)]
    lon0 = np.array([r[0] for r in rows])
    lat0 = np.array([r[1] for r in rows])
    weight = np.array([r[2] + 1.0 for r in rows])
    homes = engine.attach_points(graph=graph, lon=lon0, lat=lat0, limit_m=np.inf)
    demand = np.where(homes.along_u_m <= homes.along_v_m, homes.u, homes.v)  # the nearer end of each home's street
    sample = rng.choice(len(rows), min(len(rows), CANDIDATES), replace=False, p=weight / weight.sum())
    # candidates a little off the compound gate, on the network
    x = homes.x[sample] + rng.normal(0, 40, sample.size)
    y = homes.y[sample] + rng.normal(0, 40, sample.size)
    _, cand = graph.kdtree.query(np.column_stack([x, y]))
    sites = engine.at_nodes(graph, cand)
    coverage: dict[int, object] = {}
    names = dict(Region.objects.within(district.code).filter(level=Level.COMMUNITY)
                 .values_list("code", "name"))
    made: list[Facility] = []
    used: dict[str, int] = {}
    for category in Category.objects.filter(code__in=DEMO_COUNTS).order_by("sort_order"):
        count = DEMO_COUNTS[category.code]
        if category.code in SPARSE:
            nodes = demand[rng.choice(len(rows), count, replace=count > len(rows))]
        else:
            radius = category.walk_distance_m
            if radius not in coverage:
                coverage[radius] = engine.coverage_from_network(graph=graph, demand=homes, candidates=sites,
                                                                radius_m=float(radius))
            chosen = engine.greedy_mclp(coverage=coverage[radius], weight=weight * rng.uniform(0.5, 1.5, weight.size),
                                        p=count).sites
            extra = rng.choice(cand.size, max(count - chosen.size, 0))
            nodes = cand[np.concatenate([chosen, extra]).astype(np.int64)]
        lon, lat = graph.lon[nodes], graph.lat[nodes]
        codes = locate.locate_many(lon, lat)
        for k in range(count):
            region_code = codes[k] or district.code
            base = f"{names.get(region_code[:12], district.name)}{category.name}"
            used[base] = used.get(base, 0) + 1
            name = base if used[base] == 1 else f"{base}（{used[base]}）"
            capacity = int(rng.integers(20, 400)) if category.level != "convenience" else None
            made.append(Facility(category=category, name=name, region_code=region_code, lon=float(lon[k]),
                                 lat=float(lat[k]), capacity=capacity, opening_hours=HOURS[category.level],
                                 operator="示例运营方（生成）", source=Facility.Source.DEMO,
                                 external_id=f"demo-{category.code}-{k}"))
    return made


def seed_demo_servicecircle(*, seed: int = 2026, district_code: str = DISTRICT, n_nodes: int = DEMO_NODES) -> dict:
    started = time.monotonic()
    rng = np.random.default_rng(seed)
    district = Region.objects.get(code=district_code)
    if not district.boundary:
        raise ConfigurationError("the demo district has no stored outline")
    actor = _actor(district_code)
    with transaction.atomic():
        seed_categories()
    graph = engine.synthetic_street_grid(n_nodes=n_nodes, seed=seed, boundary=geometry.from_geojson(district.boundary))
    network = services.store_network(actor=None, district_code=district_code, graph=graph,
                                     source=f"synthetic:seed={seed},nodes={n_nodes}", generated=True)
    locate.invalidate()
    streets = name_streets(graph, east_west=EAST_WEST_NAMES, north_south=NORTH_SOUTH_NAMES)
    territory_services.replace_streets(actor=None, district_code=district_code, streets=streets, generated=True,
                                       source=f"named runs of the synthetic network seed={seed}")
    facilities = _facilities(district=district, graph=graph, rng=rng)
    with transaction.atomic():
        Facility.objects.within(district_code).filter(source=Facility.Source.DEMO).delete()
        Facility.objects.bulk_create(facilities, batch_size=500)
        audit.record(actor=None, action="servicecircle.demo.facilities", target_type="servicecircle.facility",
                     region_code=district_code, detail={"count": len(facilities), "seed": seed})
    run = services.start_run(actor=actor, region_code=district_code, enqueue=False)
    status = services.execute_run(run_id=run.pk)
    summary = {"sc_network_nodes": network.n_nodes, "sc_streets": len(streets), "sc_facilities": len(facilities),
               "sc_run": run.pk, "sc_run_status": status}
    has_sites = Place.objects.within(district_code).filter(kind=PlaceKind.FACILITY_SITE).exists()
    if status == Status.DONE and has_sites:
        rec = services.recommend(actor=actor, run_id=run.pk, category=RECOMMEND_CATEGORY, p=5, enqueue=False)
        summary["sc_recommendation_status"] = services.execute_recommendation(recommendation_id=rec.pk)
    summary["sc_seconds"] = round(time.monotonic() - started, 1)
    return summary
