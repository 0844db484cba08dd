"""Snap WGS-84 points to their nearest network node."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .graph import WalkGraph

DEFAULT_SNAP_LIMIT_M = 150.0


@dataclass(frozen=True)
class Snapped:
    """``node[i]`` is the nearest node, ``distance_m[i]`` the straight-line walk to it.

    ``ok[i]`` is False when the point is farther than the limit: such points must be reported,
    and their ``node`` is -1 so it cannot be used by mistake as an index.
    """

    node: np.ndarray
    distance_m: np.ndarray
    ok: np.ndarray

    @property
    def n_rejected(self) -> int:
        return int((~self.ok).sum())


def snap_points(
    *, graph: WalkGraph, lon: np.ndarray, lat: np.ndarray, limit_m: float = DEFAULT_SNAP_LIMIT_M
) -> Snapped:
    x, y = graph.project(lon=lon, lat=lat)
    return snap_xy(graph=graph, x=x, y=y, limit_m=limit_m)


def snap_xy(*, graph: WalkGraph, x: np.ndarray, y: np.ndarray, limit_m: float = DEFAULT_SNAP_LIMIT_M) -> Snapped:
    """Like snap_points for coordinates already in the graph's metric CRS."""
    points = np.column_stack([np.atleast_1d(x), np.atleast_1d(y)]).astype(np.float64)
    distance, node = graph.kdtree.query(points, k=1, workers=-1)
    ok = np.isfinite(distance) & (distance <= limit_m)
    node = np.where(ok, node, -1).astype(np.int64)
    return Snapped(node=node, distance_m=np.asarray(distance, np.float64), ok=ok)
