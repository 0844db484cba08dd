"""Base-map tiles: what a phone downloads and what a cache miss costs, against shipping the network whole.

    python bench/basemap.py [--quick] [--seed N]

A generated walking network inside the real Shijingshan outline (`synthetic_street_grid`, 30,000 nodes; 60,000
without --quick, about the size of a real district's network), ~3,000 compound points and the ~900 generated grids
of bench/locate.py as labels, all in one `civicgrid.basemap.tiles.Sheet`. A "phone screen" is the 3 × 5 tiles a
390 × 844 px window overlaps at one zoom, around random points inside the district.

Measured, all on the same screens (ours and the tile peer alternate, 3 runs, median with min–max):
  ours         tiles.render: STRtree query, line_merge, clip, per-zoom simplification, GeoJSON, gzip
               (exactly what the tile view runs on a cache miss; a hit is one cache get)
  per_segment  the same tiles without merging or simplifying: every street segment clipped and sent as it is
  whole        the page embedding the whole network as one GeoJSON (what a map without tiles ships), gzip
Summary: BENCH basemap nodes=… ms_per_tile_z16=… ms_per_tile_z13=… kb_screen_z16=… kb_screen_z13=…
per_segment_kb_screen_z13=… whole_kb=… whole_ms=… screen_z16_vs_whole=… errors=…
(`errors` counts screens where our tiles drew no street although the screen lies inside the network.)
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.locate import OUTLINE, build_grids  # noqa: E402
from civicgrid.basemap import tiles  # noqa: E402
from civicgrid.servicecircle import engine  # noqa: E402
from civicgrid.territory import geometry as geo  # noqa: E402


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def build(n_nodes: int, seed: int) -> tuple[tiles.Sheet, object, engine.WalkGraph]:
    outline = geo.single_polygon(geo.from_geojson(json.loads(OUTLINE.read_text(encoding="utf-8"))["features"][0]))
    graph = engine.synthetic_street_grid(n_nodes=n_nodes, seed=seed, boundary=outline)
    coords = np.stack([np.stack([graph.lon[graph.u], graph.lat[graph.u]], axis=1),
                       np.stack([graph.lon[graph.v], graph.lat[graph.v]], axis=1)], axis=1)
    streets = list(shapely.linestrings(coords))
    rng = np.random.default_rng(seed)
    lons, lats = geo.random_points(outline, 3000, rng)
    compounds = list(shapely.points(lons, lats))
    codes, grids = build_grids(seed)
    points = [g.point_on_surface() for g in grids]
    labels = [("grid", code, p.x, p.y) for code, p in zip(codes, points, strict=True)]
    return tiles.Sheet(streets, graph.length_m >= tiles.MINOR_STREET_M, compounds, labels), outline, graph


def screens(outline, count: int, z: int, seed: int) -> list[list[tuple[int, int, int]]]:
    lons, lats = geo.random_points(outline, count, np.random.default_rng(seed + z))
    found = []
    for lon, lat in zip(lons, lats, strict=True):
        x, y = tile_of(lon, lat, z)
        found.append([(z, x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-2, -1, 0, 1, 2)])
    return found


def per_segment(sheet: tiles.Sheet, z: int, x: int, y: int) -> bytes:
    west, south, east, north = tiles.tile_bounds(z, x, y)
    hits = sheet.street_tree.query(shapely.box(west, south, east, north), predicate="intersects")
    clipped = shapely.clip_by_rect(sheet.streets[hits], west, south, east, north)
    features = [{"type": "Feature", "geometry": json.loads(shapely.to_geojson(g)), "properties": {}} for g in clipped]
    raw = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()
    return gzip.compress(raw, compresslevel=6, mtime=0)


def run_screens(render, sheet, batch) -> tuple[float, int]:
    """Seconds per tile and bytes per screen, over a batch of screens."""
    started, total, n = time.perf_counter(), 0, 0
    for screen in batch:
        for z, x, y in screen:
            total += len(render(sheet, z, x, y))
            n += 1
    return (time.perf_counter() - started) / n, total // len(batch)


def ours(sheet, z, x, y) -> bytes:
    return tiles.render(sheet, "bench", z, x, y).body


def figures(samples: list[float]) -> str:
    return f"{statistics.median(samples):.2f} ({min(samples):.2f}–{max(samples):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    n_nodes, count = (30_000, 4) if args.quick else (60_000, 20)
    sheet, outline, graph = build(n_nodes, args.seed)
    result: dict = {"nodes": graph.n_nodes}
    errors = 0
    for z in (16, 13):
        batch = screens(outline, count, z, args.seed)
        timings: dict[str, list[float]] = {"ours": [], "per_segment": []}
        sizes = {}
        for _ in range(3):
            for name, render in (("ours", ours), ("per_segment", per_segment)):
                seconds, size = run_screens(render, sheet, batch)
                timings[name].append(seconds * 1000)
                sizes[name] = size
        for screen in batch:
            drawn = [json.loads(gzip.decompress(ours(sheet, *t)))["features"] for t in screen]
            errors += not any(f["properties"]["k"] == "street" for fs in drawn for f in fs)
        print(f"z{z}: ours {figures(timings['ours'])} ms/tile, {sizes['ours'] / 1024:.0f} KB/screen; "
              f"per segment {figures(timings['per_segment'])} ms/tile, {sizes['per_segment'] / 1024:.0f} KB/screen")
        result[f"ms_per_tile_z{z}"] = round(statistics.median(timings["ours"]), 2)
        result[f"kb_screen_z{z}"] = round(sizes["ours"] / 1024, 1)
        result[f"per_segment_kb_screen_z{z}"] = round(sizes["per_segment"] / 1024, 1)
    started = time.perf_counter()
    whole = gzip.compress(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": json.loads(shapely.to_geojson(g)), "properties": {}} for g in sheet.streets]},
        separators=(",", ":")).encode(), compresslevel=6, mtime=0)
    result["whole_ms"] = round((time.perf_counter() - started) * 1000, 1)
    result["whole_kb"] = round(len(whole) / 1024, 1)
    print(f"whole network as one GeoJSON: {result['whole_kb']:.0f} KB gzip, {result['whole_ms']:.0f} ms")
    result["screen_z16_vs_whole"] = round(result["kb_screen_z16"] / result["whole_kb"], 3)
    result["errors"] = errors
    print("BENCH basemap " + " ".join(f"{k}={v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
