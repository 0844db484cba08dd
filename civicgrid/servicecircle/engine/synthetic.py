"""Generated street networks: a jittered grid with missing links and some diagonals.

Used for the demo district (whose network is marked as generated) and for benchmarks. The same
arguments always give the same network.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .graph import WalkGraph, largest_component, make_graph, metric_crs_for

DEFAULT_SPACING_M = 40.0
DEFAULT_CENTER = (116.2229, 39.9056)  # Shijingshan, Beijing


def synthetic_street_grid(
    *,
    n_nodes: int,
    seed: int = 0,
    boundary: BaseGeometry | None = None,
    center: tuple[float, float] = DEFAULT_CENTER,
    spacing_m: float | None = None,
    removed_share: float = 0.12,
    diagonal_share: float = 0.06,
    jitter_share: float = 0.25,
) -> WalkGraph:
    """About ``n_nodes`` nodes (the largest connected component of the generated grid).

    Inside ``boundary`` (a WGS-84 polygon) the spacing is chosen to fit ``n_nodes``; without a
    boundary the grid is a square of ``spacing_m`` (default 40 m, about 600 nodes per km²) cells
    around ``center``.
    """
    rng = np.random.default_rng(seed)
    if boundary is not None:
        lon0, lat0 = shapely.centroid(boundary).coords[0]
    else:
        lon0, lat0 = center
    crs = metric_crs_for(lon=np.array([lon0]), lat=np.array([lat0]))
    probe = make_graph(lon=np.array([lon0]), lat=np.array([lat0]), u=np.empty(0), v=np.empty(0), crs=crs)
    x0, y0 = probe.x[0], probe.y[0]
    if boundary is not None:
        shape_m = shapely.transform(boundary, lambda xy: np.column_stack(probe.project(lon=xy[:, 0], lat=xy[:, 1])))
        spacing = spacing_m or float(np.sqrt(shape_m.area / n_nodes))
        minx, miny, maxx, maxy = shape_m.bounds
    else:
        shape_m = None
        spacing = spacing_m or DEFAULT_SPACING_M
        half = np.sqrt(n_nodes) * spacing / 2.0
        minx, miny, maxx, maxy = x0 - half, y0 - half, x0 + half, y0 + half
    cols = max(2, int(np.ceil((maxx - minx) / spacing)))
    rows = max(2, int(np.ceil((maxy - miny) / spacing)))
    col_grid, row_grid = np.meshgrid(np.arange(cols), np.arange(rows))
    ci, ri = col_grid.ravel(), row_grid.ravel()
    x = minx + (ci + 0.5) * spacing + rng.uniform(-jitter_share, jitter_share, ci.size) * spacing
    y = miny + (ri + 0.5) * spacing + rng.uniform(-jitter_share, jitter_share, ci.size) * spacing
    inside = np.ones(ci.size, bool) if shape_m is None else shapely.contains_xy(shape_m, x, y)
    u, v = _grid_edges(rows=rows, cols=cols, rng=rng, removed_share=removed_share, diagonal_share=diagonal_share)
    keep = inside[u] & inside[v]
    lon, lat = probe.unproject(x=x, y=y)
    graph = make_graph(lon=lon, lat=lat, u=u[keep], v=v[keep], crs=crs)
    return largest_component(graph)


def _grid_edges(
    *, rows: int, cols: int, rng: np.random.Generator, removed_share: float, diagonal_share: float
) -> tuple[np.ndarray, np.ndarray]:
    index = np.arange(rows * cols).reshape(rows, cols)
    horizontal = (index[:, :-1].ravel(), index[:, 1:].ravel())
    vertical = (index[:-1, :].ravel(), index[1:, :].ravel())
    u = np.concatenate([horizontal[0], vertical[0]])
    v = np.concatenate([horizontal[1], vertical[1]])
    kept = rng.random(u.size) >= removed_share
    cells = index[:-1, :-1].ravel()
    diagonal = rng.random(cells.size) < diagonal_share
    rising = rng.random(cells.size) < 0.5
    du = np.where(rising, cells, cells + 1)[diagonal]
    dv = np.where(rising, cells + cols + 1, cells + cols)[diagonal]
    return np.concatenate([u[kept], du]), np.concatenate([v[kept], dv])
