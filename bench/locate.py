"""Point-in-grid lookup: the STRtree index against naive containment loops, on ~900 generated grids inside
the real Shijingshan outline (no database needed).

    python bench/locate.py [--quick] [--seed N]

Methods, all over the same random points (90 % inside the district, 10 % anywhere in its bounding box):
  strtree_vectorized   GridIndex.locate_many: one STRtree query for all points
  strtree_per_point    GridIndex.locate: one STRtree query per point
  shapely_within       the fair peer: shapely's own vectorised STRtree(grids).query(points, predicate="within"),
                       tree built beforehand like ours; it and strtree_vectorized alternate, 3 runs each, median
                       (min–max) reported
  contains_xy_per_grid shapely.contains_xy over all points, looping over the grids (a vectorized peer)
  naive                per point, loop over the grids with geometry.contains(point)
  naive_prepared       the same with prepared geometries
`errors` counts points where any method disagrees with the vectorized STRtree.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import shapely

from civicgrid.territory import geometry as geo
from civicgrid.territory.gridindex import GridIndex

OUTLINE = Path(geo.__file__).resolve().parent / "data" / "shijingshan_outline.geojson"


def build_grids(seed: int) -> tuple[list[str], list]:
    """9 subdistricts → ~17 communities each → ~6 grids each, like the demo territory."""
    rng = np.random.default_rng(seed)
    outline = geo.single_polygon(geo.from_geojson(json.loads(OUTLINE.read_text(encoding="utf-8"))["features"][0]))
    codes, grids = [], []
    for s, sub in enumerate(geo.partition(outline, rng.lognormal(0, 0.3, 9), seed=seed), start=1):
        for c, community in enumerate(geo.partition(sub, rng.lognormal(0, 0.4, 17), seed=seed + s), start=1):
            n = int(rng.integers(4, 9))
            for g, grid in enumerate(geo.partition(community, rng.uniform(0.6, 1.4, n), seed=seed + c), start=1):
                codes.append(f"110107{s:03d}{c:03d}{g:03d}")
                grids.append(grid)
    order = np.argsort(codes)
    return [codes[i] for i in order], [grids[i] for i in order]


def random_points(grids: list, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed + 1)
    district = shapely.union_all(grids)
    inside = int(n * 0.9)
    lons, lats = geo.random_points(district, inside, rng)
    minx, miny, maxx, maxy = district.bounds
    lons = np.concatenate([lons, rng.uniform(minx, maxx, n - inside)])
    lats = np.concatenate([lats, rng.uniform(miny, maxy, n - inside)])
    order = rng.permutation(n)
    return lons[order], lats[order]


def timed(function, count: int) -> tuple[list, float]:
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    return list(result), count / seconds


def shapely_within(tree, codes, lons, lats) -> list:
    """shapely's vectorised predicate query; a point on a shared edge is within no grid, so take the first hit."""
    point_idx, grid_idx = tree.query(shapely.points(lons, lats), predicate="within")
    result = np.full(len(lons), None, dtype=object)
    result[point_idx[::-1]] = np.asarray(codes, dtype=object)[grid_idx[::-1]]
    return list(result)


def alternate(runs: dict, count: int, repeats: int = 3) -> dict:
    """Run each named function `repeats` times, alternating; {name: (last result, [rates])}."""
    out: dict = {name: (None, []) for name in runs}
    for _ in range(repeats):
        for name, function in runs.items():
            result, rate = timed(function, count)
            out[name] = (result, [*out[name][1], rate])
    return out


def spread(rates: list[float]) -> str:
    return f"{np.median(rates):,.0f} ({min(rates):,.0f}–{max(rates):,.0f})"


def naive(codes, geoms, lons, lats) -> list:
    found = []
    for lon, lat in zip(lons, lats, strict=True):
        point = shapely.Point(lon, lat)
        found.append(next((code for code, geom in zip(codes, geoms, strict=True) if geom.contains(point)), None))
    return found


def contains_xy_per_grid(codes, geoms, lons, lats) -> list:
    result = np.full(len(lons), None, dtype=object)
    for code, geom in zip(codes, geoms, strict=True):
        hit = shapely.contains_xy(geom, lons, lats) & (result == None)  # noqa: E711 (element-wise)
        result[hit] = code
    return list(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer points (under a minute)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    n_vector, n_point, n_naive = (200_000, 20_000, 300) if args.quick else (2_000_000, 100_000, 2_000)

    started = time.perf_counter()
    codes, grids = build_grids(args.seed)
    generate_s = time.perf_counter() - started
    started = time.perf_counter()
    index = GridIndex(codes, grids)
    build_ms = (time.perf_counter() - started) * 1000
    lons, lats = random_points(grids, n_vector, args.seed)
    print(f"grids={len(codes)} generated in {generate_s:.2f}s, index built in {build_ms:.1f}ms")

    peer_tree = shapely.STRtree([shapely.from_wkb(shapely.to_wkb(g)) for g in grids])
    paired = alternate({"ours": lambda: index.locate_many(lons, lats),
                        "within": lambda: shapely_within(peer_tree, codes, lons, lats)}, n_vector)
    vector, vector_rates = paired["ours"]
    within, within_rates = paired["within"]
    vector_rate, within_rate = float(np.median(vector_rates)), float(np.median(within_rates))
    per_point, point_rate = timed(lambda: [index.locate(x, y) for x, y in zip(lons[:n_point], lats[:n_point],
                                                                           strict=True)], n_point)
    raw = [shapely.from_wkb(shapely.to_wkb(g)) for g in grids]  # unprepared copies
    slow, naive_rate = timed(lambda: naive(codes, raw, lons[:n_naive], lats[:n_naive]), n_naive)
    prepared = [shapely.from_wkb(shapely.to_wkb(g)) for g in grids]
    shapely.prepare(prepared)
    n_prepared = n_naive * 10
    slow_prep, prepared_rate = timed(lambda: naive(codes, prepared, lons[:n_prepared], lats[:n_prepared]), n_prepared)
    by_grid, by_grid_rate = timed(lambda: contains_xy_per_grid(codes, prepared, lons, lats), n_vector)

    errors = sum(a != b for a, b in zip(per_point, vector, strict=False))
    errors += sum(a != b for a, b in zip(slow, vector, strict=False))
    errors += sum(a != b for a, b in zip(slow_prep, vector, strict=False))
    errors += sum(a != b for a, b in zip(by_grid, vector, strict=True))
    errors += sum(a != b for a, b in zip(within, vector, strict=True))
    inside = sum(code is not None for code in vector) / n_vector

    rows = [("strtree_vectorized", vector_rate, n_vector), ("shapely_within", within_rate, n_vector),
            ("strtree_per_point", point_rate, n_point),
            ("contains_xy_per_grid", by_grid_rate, n_vector), ("naive", naive_rate, n_naive),
            ("naive_prepared", prepared_rate, n_prepared)]
    for name, rate, count in rows:
        print(f"{name:22s} {rate:14,.0f} points/s  ({count:,} points)")
    print(f"median (min–max) of 3 alternating runs: strtree_vectorized {spread(vector_rates)}, "
          f"shapely_within {spread(within_rates)} points/s")
    print(f"points inside a grid: {inside:.1%}")
    print(f"BENCH locate grids={len(codes)} points={n_vector} points_per_s={vector_rate:.0f} "
          f"points_per_s_min={min(vector_rates):.0f} points_per_s_max={max(vector_rates):.0f} "
          f"shapely_within_per_s={within_rate:.0f} speedup_vs_shapely_within={vector_rate / within_rate:.2f} "
          f"per_point_per_s={point_rate:.0f} contains_xy_per_s={by_grid_rate:.0f} naive_per_s={naive_rate:.0f} "
          f"naive_prepared_per_s={prepared_rate:.0f} speedup_vs_naive={vector_rate / naive_rate:.0f} "
          f"speedup_vs_prepared={vector_rate / prepared_rate:.0f} per_point_speedup_vs_prepared="
          f"{point_rate / prepared_rate:.1f} build_ms={build_ms:.1f} errors={errors}")


if __name__ == "__main__":
    main()
