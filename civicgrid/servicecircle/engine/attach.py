"""Place points on the street they stand on: the nearest walkable edge, split at the foot of the perpendicular.

A point on edge (u, v) reaches u after ``along_u_m`` and v after ``along_v_m`` (the edge's length split where the
point projects), plus ``offset_m``, the straight line from the point to the street, which is kept and shown.
Among the edges within the limit, one on the ground (level 0) whose access line crosses no barrier (fence, wall,
river) is preferred; an off-ground edge or one behind a barrier is used only when nothing better is within the
limit, and is then visible through ``level`` and ``crosses_barrier``.

Every caller (coverage, site recommendations, isochrones, the new-compound check, volunteer matching) attaches
through here. Candidate edges of all points come at once: the edges of each point's nearest edge samples (one
k-d tree query for all points, `WalkGraph.edge_samples`), which settles nearly every point; the few whose best edge
there is off the ground, behind a barrier, or not provably the nearest are looked at again with more samples, then
in a grid of cells around them (`segments.SegmentGrid`), wider and wider until settled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from .graph import WalkGraph
from .segments import CELL_M, SegmentGrid

_TIER = 1e7  # added to the distance of less preferred candidates so that any preferred one wins


@dataclass(frozen=True)
class Attached:
    """One row per point; rows that are not ``ok`` (nothing within the limit) have edge, u and v -1.

    ``x``/``y`` is the split point on the street (metric CRS). A row attached at a vertex (a gate, a node given
    directly) has ``edge`` -1 and u == v."""

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
    x: np.ndarray
    y: np.ndarray

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


def concat(*parts: Attached) -> Attached:
    names = Attached.__dataclass_fields__
    return Attached(**{name: np.concatenate([getattr(p, name) for p in parts]) for name in names})


def at_nodes(graph: WalkGraph, nodes: np.ndarray, *, offset_m: np.ndarray | None = None,
             private: bool = False) -> Attached:
    """Rows standing on network vertices (gates, or sources given as nodes), ``offset_m`` away from them."""
    nodes = np.asarray(nodes, dtype=np.int64).reshape(-1)
    n = nodes.shape[0]
    offset = np.zeros(n) if offset_m is None else np.asarray(offset_m, dtype=np.float64).reshape(n)
    return Attached(
        edge=np.full(n, -1, dtype=np.int64),
        u=nodes,
        v=nodes.copy(),
        along_u_m=np.zeros(n),
        along_v_m=np.zeros(n),
        offset_m=offset,
        ok=np.ones(n, dtype=bool),
        level=np.zeros(n, dtype=np.int8),
        crosses_barrier=np.zeros(n, dtype=bool),
        private=np.full(n, private),
        x=graph.x[nodes],
        y=graph.y[nodes],
    )


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
    if points.shape[0] == 0 or graph.edge_samples(public_only=public_only).edge.shape[0] == 0:
        return _empty(points)
    result, ring = _attach_sampled(graph, points, limit_m, public_only, SAMPLES_PER_POINT)
    again = np.flatnonzero(ring > 0)
    if again.size:
        fresh, ring[again] = _attach_sampled(graph, points[again], limit_m, public_only, 6 * SAMPLES_PER_POINT)
        for name in result.__dataclass_fields__:
            getattr(result, name)[again] = getattr(fresh, name)
    if (ring > 0).any():  # built on first need: most networks and most points never get here
        grid, edge_ids = graph.edge_grid(public_only=public_only)
        # points whose best edge may not be the best: again with more cells around them, until sure
        while (ring > 0).any():
            for r in np.unique(ring[ring > 0]):
                rows = np.flatnonzero(ring == r)
                if r <= MAX_RING:
                    fresh, ring[rows] = _attach_within(graph, grid, edge_ids, points[rows], limit_m, ring=int(r))
                else:
                    fresh, ring[rows] = _attach_nearest(graph, points[rows], limit_m, public_only), 0
                for name in result.__dataclass_fields__:
                    getattr(result, name)[rows] = getattr(fresh, name)
    return result


MAX_RING = 12
SAMPLES_PER_POINT = 8


def _attach_sampled(
    graph: WalkGraph, points: np.ndarray, limit_m: float, public_only: bool, k: int
) -> tuple[Attached, np.ndarray]:
    """Candidates from the edges of each point's nearest samples (`graph.EdgeSamples`): any point of an edge lies
    within half a spacing of one of its samples, so an edge not among them is at least as far as the farthest
    sample found minus half a spacing. Returns the result and the grid ring to look at next (0: sure)."""
    samples = graph.edge_samples(public_only=public_only)
    k = min(k, samples.edge.shape[0])
    half = samples.spacing / 2
    bound = limit_m + half if np.isfinite(limit_m) else np.inf
    dist, idx = samples.tree.query(points, k=k, distance_upper_bound=bound, workers=-1)
    dist, idx = dist.reshape(points.shape[0], k), idx.reshape(points.shape[0], k)
    found = idx < samples.edge.shape[0]
    # k pairs per point (those not found: unusable), so choices are a row-wise argmin
    point = np.repeat(np.arange(points.shape[0]), k)
    edge = samples.edge[np.where(found, idx, 0)].ravel()
    pairs = _Pairs(graph, points, point, edge, limit_m, width=k, found=found.ravel())
    result = pairs.result(pairs.best())
    complete = np.where(found[:, -1], dist[:, -1] - half, np.inf)
    return result, _next_ring(result, complete, limit_m, CELL_M, ring=0)


def _next_ring(result: Attached, complete: np.ndarray, limit_m: float, cell: float, ring: int) -> np.ndarray:
    """0 where no edge beyond ``complete`` could be better; else how many grid cells around the point to search.

    A preferred edge (ground level, no barrier) can be beaten only by a nearer one: search as far as it;
    otherwise a preferred edge may lie anywhere within the limit: search twice as far, up to the limit."""
    preferred = result.ok & (result.level == 0) & ~result.crosses_barrier
    sure = (complete >= limit_m) | (preferred & (result.offset_m <= complete))
    wider = np.where(preferred, np.ceil(np.nan_to_num(result.offset_m, posinf=0.0) / cell), 2 * ring + 1)
    return np.where(sure, 0, np.maximum(wider, ring + 1)).astype(np.int64)


def _attach_within(
    graph: WalkGraph, grid: SegmentGrid, edge_ids: np.ndarray, points: np.ndarray, limit_m: float, ring: int
) -> tuple[Attached, np.ndarray]:
    """Best edge among those listed ``ring`` cells around each point, and per point the ring to look at next
    (0: sure, no edge outside could be better)."""
    point, item = grid.candidates(points[:, 0], points[:, 1], ring=ring)
    pairs = _Pairs(graph, points, point, edge_ids[item], limit_m)
    result = pairs.result(pairs.best())
    complete = grid.complete_within(points[:, 0], points[:, 1], ring=ring)
    return result, _next_ring(result, complete, limit_m, grid.cell, ring)


def _attach_nearest(graph: WalkGraph, points: np.ndarray, limit_m: float, public_only: bool) -> Attached:
    """The nearest edge (no preference) for points far from every street."""
    tree, ids = graph.edge_tree(public_only=public_only)
    bound = float(limit_m) if np.isfinite(limit_m) else None
    found = tree.query_nearest(shapely.points(points), max_distance=bound, all_matches=False)
    pairs = _Pairs(graph, points, found[0], ids[found[1]], limit_m)
    return pairs.result(pairs.best())


class _Pairs:
    """Exact point-to-segment distances of (point, candidate edge) pairs grouped by point, with preferences."""

    def __init__(self, graph: WalkGraph, points: np.ndarray, point: np.ndarray, edge: np.ndarray, limit_m: float,
                 width: int | None = None, found: np.ndarray | None = None):
        self.graph, self.points, self.point, self.edge, self.width = graph, points, point, edge, width
        ax, ay, dx, dy = (a[edge] for a in graph.edge_vectors)
        rx, ry = points[point, 0] - ax, points[point, 1] - ay
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.clip((rx * dx + ry * dy) / (dx * dx + dy * dy), 0.0, 1.0)
        self.t = np.nan_to_num(t, copy=False)
        self.distance = np.hypot(rx - self.t * dx, ry - self.t * dy)
        self.usable = self.distance <= limit_m
        if found is not None:
            self.usable &= found
        self.crossing = np.zeros(edge.shape[0], dtype=bool)

    def foot(self, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where these pairs' points project onto their edges."""
        ax, ay, dx, dy = (a[self.edge[pairs]] for a in self.graph.edge_vectors)
        return ax + self.t[pairs] * dx, ay + self.t[pairs] * dy

    def _test_crossing(self, pairs: np.ndarray) -> None:
        """Whether the access lines of these pairs cross a barrier line (GEOS only near a barrier)."""
        if self.graph.barriers.shape[0] == 0 or pairs.size == 0:
            return
        px, py = self.points[self.point[pairs], 0], self.points[self.point[pairs], 1]
        qx, qy = self.foot(pairs)
        near = self.graph.barrier_cells.any_in(np.minimum(px, qx), np.minimum(py, qy), np.maximum(px, qx),
                                               np.maximum(py, qy))
        pairs = pairs[near]
        if pairs.size == 0:
            return
        px, py, qx, qy = px[near], py[near], qx[near], qy[near]
        lines = shapely.linestrings(np.stack([np.column_stack([px, py]), np.column_stack([qx, qy])], axis=1))
        # GEOS finds the barriers each line meets (its "intersects" is several times faster than "crosses"),
        # then the interiors are checked here: a line that only touches a barrier's end does not cross it
        line, barrier = self.graph.barrier_tree.query(lines, predicate="intersects")
        b = self.graph.barrier_segments[barrier]
        crosses = _proper_crossing(px[line], py[line], qx[line], qy[line], b[:, 0], b[:, 1], b[:, 2], b[:, 3])
        self.crossing[pairs[np.unique(line[crosses])]] = True

    def best(self) -> np.ndarray:
        """Per point, the pair of the nearest usable ground-level edge whose access line crosses no barrier, else
        of the nearest usable edge (-1: none within the limit). The chosen pair is tested for barriers; where it
        crosses one, the point's other pairs are tested nearest first, in growing batches, until one does not."""
        level = self.graph.edge_level[self.edge] != 0
        score = np.where(self.usable, self.distance + _TIER * level, np.inf)
        n = self.points.shape[0]
        chosen = _argmin_by_group(score, self.point, n, self.width)
        first = chosen[chosen >= 0]
        self._test_crossing(first)
        blocked = self.point[first[self.crossing[first]]]
        if blocked.size == 0:
            return chosen
        rest = np.flatnonzero(np.isin(self.point, blocked) & self.usable)
        _, unique = np.unique(self.point[rest] * np.int64(self.graph.n_edges + 1) + self.edge[rest], return_index=True)
        rest = rest[unique]
        rest = rest[np.lexsort((score[rest], self.point[rest]))]
        group_start = np.searchsorted(self.point[rest], self.point[rest], side="left")
        rank = np.arange(rest.shape[0]) - group_start
        done = np.zeros(n, dtype=bool)
        tested = np.zeros(self.edge.shape[0], dtype=bool)
        tested[first] = True
        lo, width = 0, 4
        while True:
            window = rest[(rank >= lo) & (rank < lo + width) & ~done[self.point[rest]]]
            if window.size == 0:
                break
            window = window[~tested[window]]
            self._test_crossing(window)
            tested[window] = True
            done[self.point[window[~self.crossing[window]]]] = True
            lo, width = lo + width, width * 2
        # for blocked points only their tested-in-order pairs count (an untested duplicate of a crossing pair
        # would look clear)
        final = score + 2 * _TIER * self.crossing
        final[np.isin(self.point, blocked)] = np.inf
        final[rest] = score[rest] + 2 * _TIER * self.crossing[rest]
        return _argmin_by_group(final, self.point, n, self.width)

    def result(self, chosen: np.ndarray) -> Attached:
        ok = chosen >= 0
        c = np.maximum(chosen, 0)
        if self.edge.shape[0] == 0:
            return _empty(self.points)
        edge = np.where(ok, self.edge[c], -1)
        e = np.maximum(edge, 0)
        length = self.graph.length_m[e]
        t = self.t[c]
        qx, qy = self.foot(c)
        return Attached(
            edge=edge.astype(np.int64),
            u=np.where(ok, self.graph.u[e], -1).astype(np.int64),
            v=np.where(ok, self.graph.v[e], -1).astype(np.int64),
            along_u_m=np.where(ok, t * length, np.inf),
            along_v_m=np.where(ok, (1 - t) * length, np.inf),
            offset_m=np.where(ok, self.distance[c], np.inf),
            ok=ok,
            level=np.where(ok, self.graph.edge_level[e], 0).astype(np.int8),
            crosses_barrier=ok & self.crossing[c],
            private=ok & self.graph.edge_private[e],
            x=np.where(ok, qx, self.points[:, 0]),
            y=np.where(ok, qy, self.points[:, 1]),
        )


def _proper_crossing(ax, ay, bx, by, cx, cy, dx, dy) -> np.ndarray:
    """Whether segments ab and cd cross at a point inside both (strict orientation test)."""

    def side(px, py, qx, qy, rx, ry):
        return np.sign((qx - px) * (ry - py) - (qy - py) * (rx - px))

    return (side(ax, ay, bx, by, cx, cy) * side(ax, ay, bx, by, dx, dy) < 0) & (
        side(cx, cy, dx, dy, ax, ay) * side(cx, cy, dx, dy, bx, by) < 0
    )


def _argmin_by_group(score: np.ndarray, group: np.ndarray, n: int, width: int | None = None) -> np.ndarray:
    """Index of the first smallest finite score of each group (groups sorted, numbered 0..n-1); -1 for none.

    ``width``: every group has exactly that many entries (a row-wise argmin)."""
    if width is not None:
        table = score.reshape(n, width)
        best = np.argmin(table, axis=1)
        return np.where(np.isfinite(table[np.arange(n), best]), np.arange(n) * width + best, -1)
    chosen = np.full(n, -1, dtype=np.int64)
    starts = np.searchsorted(group, np.arange(n), side="left")
    present = np.flatnonzero(np.diff(np.append(starts, group.shape[0])) > 0)
    if present.size == 0:
        return chosen
    lowest = np.minimum.reduceat(score, starts[present])
    is_min = np.isfinite(score) & (score == np.repeat(lowest, np.diff(np.append(starts[present], score.shape[0]))))
    big = np.iinfo(np.int64).max
    first = np.minimum.reduceat(np.where(is_min, np.arange(score.shape[0]), big), starts[present])
    chosen[present] = np.where(first < big, first, -1)
    return chosen


def _empty(points: np.ndarray) -> Attached:
    n = points.shape[0]
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
        x=points[:, 0].copy(),
        y=points[:, 1].copy(),
    )
