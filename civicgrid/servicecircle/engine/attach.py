"""Place points on the street they stand on: the nearest walkable edge, split at the foot of the perpendicular.

A point on edge (u, v) reaches u after ``along_u_m`` and v after ``along_v_m`` (the edge's length split where the
point projects), plus ``offset_m``, the straight line from the point to the street, which is kept and shown.
Among the edges within the limit, one on the ground (level 0) whose access line crosses no barrier (fence, wall,
river) is preferred; an off-ground edge or one behind a barrier is used only when nothing better is within the
limit, and is then visible through ``level`` and ``crosses_barrier``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from .graph import WalkGraph

CANDIDATES = 8
_TIER = 1e7  # added to the distance of less preferred candidates so that any preferred one wins


@dataclass(frozen=True)
class Attached:
    """One row per point; rows that are not ``ok`` (nothing within the limit) have edge, u and v -1."""

    edge: np.ndarray
    u: np.ndarray
    v: np.ndarray
    along_u_m: np.ndarray
    along_v_m: np.ndarray
    offset_m: np.ndarray
    ok: np.ndarray
    level: np.ndarray
    crosses_barrier: np.ndarray
    private: np.ndarray

    @property
    def n_rejected(self) -> int:
        return int((~self.ok).sum())

    def component(self, graph: WalkGraph) -> np.ndarray:
        """Component label of each point's street (-1 when not attached)."""
        return np.where(self.ok, graph.component[np.maximum(self.u, 0)], -1)

    def connected(self, graph: WalkGraph) -> np.ndarray:
        """Whether each point's street is part of the main (largest) network."""
        return self.ok & (self.component(graph) == graph.main_component)

    def component_size(self, graph: WalkGraph) -> np.ndarray:
        return np.where(self.ok, graph.component_size[np.maximum(self.component(graph), 0)], 0)

    def take(self, rows: np.ndarray) -> Attached:
        return Attached(**{name: getattr(self, name)[rows] for name in self.__dataclass_fields__})


def attach_points(
    *, graph: WalkGraph, lon: np.ndarray, lat: np.ndarray, limit_m: float, public_only: bool = False
) -> Attached:
    x, y = graph.project(lon=lon, lat=lat)
    return attach_xy(graph=graph, x=x, y=y, limit_m=limit_m, public_only=public_only)


def attach_xy(
    *, graph: WalkGraph, x: np.ndarray, y: np.ndarray, limit_m: float, public_only: bool = False
) -> Attached:
    """Attach points given in the graph's metric CRS; ``public_only`` skips private (compound-internal) ways."""
    points = np.column_stack([np.atleast_1d(x), np.atleast_1d(y)]).astype(np.float64)
    if points.shape[0] == 0 or graph.n_edges == 0:
        return _empty(points.shape[0])
    samples = graph.edge_samples
    k = min(CANDIDATES, samples.edge.shape[0])
    dist, idx = samples.tree.query(points, k=k, distance_upper_bound=limit_m + samples.spacing, workers=-1)
    dist, idx = dist.reshape(points.shape[0], k), idx.reshape(points.shape[0], k)
    found = idx < samples.edge.shape[0]
    edges = np.where(found, samples.edge[np.minimum(idx, samples.edge.shape[0] - 1)], -1)
    choice = _Candidates(graph, points, edges, limit_m, public_only)
    best = choice.best()
    # a nearer edge may have no sample among the k nearest when they all lie closer than best + spacing/2
    unsure = found[:, -1] & (dist[:, -1] < choice.distance[np.arange(points.shape[0]), best] + samples.spacing / 2)
    result = choice.result(best)
    if unsure.any():
        _recheck(graph, points, np.flatnonzero(unsure), limit_m, public_only, result)
    return result


def _recheck(
    graph: WalkGraph, points: np.ndarray, rows: np.ndarray, limit_m: float, public_only: bool, result: Attached
) -> None:
    """Every edge with a sample within the bound, for the points whose k nearest samples did not settle it."""
    samples = graph.edge_samples
    radius = np.where(result.ok[rows], result.offset_m[rows] + samples.spacing / 2, limit_m + samples.spacing)
    found = [np.unique(samples.edge[hits]) for hits in samples.tree.query_ball_point(points[rows], r=radius)]
    width = max((f.shape[0] for f in found), default=0)
    if width == 0:
        return
    edges = np.full((rows.shape[0], width), -1, dtype=np.int64)
    for k, hits in enumerate(found):
        edges[k, : hits.shape[0]] = hits
    again = _Candidates(graph, points[rows], edges, limit_m, public_only)
    fresh = again.result(again.best())
    for name in result.__dataclass_fields__:
        getattr(result, name)[rows] = getattr(fresh, name)


class _Candidates:
    """Exact point-to-segment distances to candidate edges (points × candidates), with preferences."""

    def __init__(self, graph: WalkGraph, points: np.ndarray, edges: np.ndarray, limit_m: float, public_only: bool):
        self.graph, self.points, self.edges, self.limit_m = graph, points, edges, limit_m
        e = np.maximum(edges, 0)
        ax, ay = graph.x[graph.u[e]], graph.y[graph.u[e]]
        dx, dy = graph.x[graph.v[e]] - ax, graph.y[graph.v[e]] - ay
        px, py = points[:, 0:1], points[:, 1:2]
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.clip(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy), 0.0, 1.0)
        self.t = np.nan_to_num(t)
        self.qx, self.qy = ax + self.t * dx, ay + self.t * dy
        self.distance = np.hypot(px - self.qx, py - self.qy)
        usable = (edges >= 0) & (self.distance <= limit_m)
        if public_only:
            usable &= ~graph.edge_private[e]
        self.usable = usable
        self.level = graph.edge_level[e]

    def _crosses(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Whether the access lines of these (point, candidate) pairs cross a barrier line (unusable: False)."""
        crossing = np.zeros(rows.shape[0], dtype=bool)
        tested = np.flatnonzero(self.usable[rows, cols])
        if self.graph.barriers.shape[0] == 0 or tested.size == 0:
            return crossing
        rows, cols = rows[tested], cols[tested]
        starts = self.points[rows]
        ends = np.column_stack([self.qx[rows, cols], self.qy[rows, cols]])
        lines = shapely.linestrings(np.stack([starts, ends], axis=1))
        crossing[tested[np.unique(_barrier_tree(self.graph).query(lines, predicate="crosses")[0])]] = True
        return crossing

    def best(self) -> np.ndarray:
        """Nearest usable ground-level candidate whose access line crosses no barrier, else the nearest usable.

        Barriers are tested for the chosen candidate first and for all candidates only where it crosses one."""
        score = np.where(self.usable, self.distance + _TIER * (self.level != 0), np.inf)
        best = np.argmin(score, axis=1)
        rows = np.arange(self.points.shape[0])
        self.crossing = np.zeros(self.edges.shape, dtype=bool)
        self.crossing[rows, best] = self._crosses(rows, best)
        blocked = np.flatnonzero(self.crossing[rows, best] & self.usable[rows, best])
        if blocked.size:
            r = np.repeat(blocked, self.edges.shape[1])
            c = np.tile(np.arange(self.edges.shape[1]), blocked.size)
            self.crossing[r, c] = self._crosses(r, c)
            penalised = score[blocked] + 2 * _TIER * self.crossing[blocked]
            best[blocked] = np.argmin(penalised, axis=1)
        return best

    def result(self, best: np.ndarray) -> Attached:
        rows = np.arange(self.points.shape[0])
        ok = self.usable[rows, best]
        edge = np.where(ok, self.edges[rows, best], -1)
        e = np.maximum(edge, 0)
        t = self.t[rows, best]
        length = self.graph.length_m[e]
        return Attached(
            edge=edge.astype(np.int64),
            u=np.where(ok, self.graph.u[e], -1).astype(np.int64),
            v=np.where(ok, self.graph.v[e], -1).astype(np.int64),
            along_u_m=np.where(ok, t * length, np.inf),
            along_v_m=np.where(ok, (1 - t) * length, np.inf),
            offset_m=self.distance[rows, best],
            ok=ok,
            level=np.where(ok, self.level[rows, best], 0).astype(np.int8),
            crosses_barrier=ok & self.crossing[rows, best],
            private=ok & self.graph.edge_private[e],
        )


_BARRIER_TREES: dict[int, tuple[WalkGraph, shapely.STRtree]] = {}


def _barrier_tree(graph: WalkGraph) -> shapely.STRtree:
    cached = _BARRIER_TREES.get(id(graph))
    if cached is None or cached[0] is not graph:
        b = graph.barriers
        x0, y0 = graph.project(lon=b[:, 0], lat=b[:, 1])
        x1, y1 = graph.project(lon=b[:, 2], lat=b[:, 3])
        lines = shapely.linestrings(np.stack([np.column_stack([x0, y0]), np.column_stack([x1, y1])], axis=1))
        _BARRIER_TREES.clear()
        cached = _BARRIER_TREES[id(graph)] = (graph, shapely.STRtree(lines))
    return cached[1]


def _empty(n: int) -> Attached:
    minus = np.full(n, -1, dtype=np.int64)
    return Attached(
        edge=minus,
        u=minus.copy(),
        v=minus.copy(),
        along_u_m=np.full(n, np.inf),
        along_v_m=np.full(n, np.inf),
        offset_m=np.full(n, np.inf),
        ok=np.zeros(n, dtype=bool),
        level=np.zeros(n, dtype=np.int8),
        crosses_barrier=np.zeros(n, dtype=bool),
        private=np.zeros(n, dtype=bool),
    )
