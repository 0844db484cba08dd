"""Place points on the street they stand on: the nearest walkable edge, split at the foot of the perpendicular.

A point on edge (u, v) reaches u after ``along_u_m`` and v after ``along_v_m`` (the edge's length split where the
point projects), plus ``offset_m``, the straight line from the point to the street, which is kept and shown.
Among the edges within the limit, one on the ground (level 0) whose access line crosses no barrier (fence, wall,
river) is preferred; an off-ground edge or one behind a barrier is used only when nothing better is within the
limit, and is then visible through ``level`` and ``crosses_barrier``.

Every caller (coverage, site recommendations, isochrones, the new-compound check, volunteer matching) attaches
through here. Candidate edges of all points come at once from one table of edge pieces by cell
(`segments.EdgeCells`, built once per graph): the pieces in the 3 x 3 cells around each point, which settles nearly
every point; the few whose best edge there is off the ground, behind a barrier, or not provably the nearest are
looked at again with more cells around them, wider and wider until settled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from .graph import WalkGraph
from .segments import EdgeCells

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
    cells = graph.edge_cells(public_only=public_only)
    if points.shape[0] == 0 or cells.n_pieces == 0:
        return _empty(points)
    result, ring = _attach_within(graph, cells, points, limit_m, ring=1)
    # points whose best edge may not be the best: again with more cells around them, until sure
    while (ring > 0).any():
        for r in np.unique(ring[ring > 0]):
            rows = np.flatnonzero(ring == r)
            if r <= MAX_RING:
                fresh, ring[rows] = _attach_within(graph, cells, points[rows], limit_m, ring=int(r))
            else:
                fresh, ring[rows] = _attach_from_tree(graph, points[rows], limit_m, public_only), 0
            for name in result.__dataclass_fields__:
                getattr(result, name)[rows] = getattr(fresh, name)
    return result


MAX_RING = 8


def _attach_within(
    graph: WalkGraph, cells: EdgeCells, points: np.ndarray, limit_m: float, ring: int
) -> tuple[Attached, np.ndarray]:
    """Best edge among the pieces listed ``ring`` cells around each point, and per point the ring to look at next
    (0: sure, no edge left out could be better)."""
    point, piece = cells.candidates(points[:, 0], points[:, 1], ring=ring)
    item = np.take(cells.item, piece)
    vectors = tuple(np.take(a, item) for a in (cells.ax, cells.ay, cells.dx, cells.dy, cells.inverse_square))
    edge = item if cells.identity else np.take(cells.edges, item)
    pairs = _Pairs(graph, points, point, edge, limit_m, vectors=vectors)
    result = pairs.result(pairs.best())
    complete = cells.complete_within(points[:, 0], points[:, 1], ring=ring)
    return result, _next_ring(result, complete, limit_m, cells, ring)


def _next_ring(result: Attached, complete: np.ndarray, limit_m: float, cells: EdgeCells, ring: int) -> np.ndarray:
    """0 where no edge beyond ``complete`` could be better; else how many cells around the point to search.

    A preferred edge (ground level, no barrier) can be beaten only by a nearer one: search as far as it;
    otherwise a preferred edge may lie anywhere within the limit: search twice as far, up to the limit."""
    preferred = result.ok & (result.level == 0) & ~result.crosses_barrier
    sure = (complete >= limit_m) | (preferred & (result.offset_m <= complete))
    reach = np.nan_to_num(result.offset_m, posinf=0.0) + cells.half
    wider = np.where(preferred, np.ceil(reach / cells.cell), 2 * ring + 1)
    return np.where(sure, 0, np.maximum(wider, ring + 1)).astype(np.int64)


def _attach_from_tree(graph: WalkGraph, points: np.ndarray, limit_m: float, public_only: bool) -> Attached:
    """Points far from every street: every edge within the limit from an R-tree, with the same preferences (with no
    limit, the nearest edge)."""
    tree, ids = graph.edge_tree(public_only=public_only)
    geometries = shapely.points(points)
    if np.isfinite(limit_m):
        point, item = tree.query(geometries, predicate="dwithin", distance=float(limit_m))
    else:
        point, item = tree.query_nearest(geometries, all_matches=False)
    order = np.argsort(point, kind="stable")
    pairs = _Pairs(graph, points, point[order], ids[item[order]], limit_m)
    return pairs.result(pairs.best())


class _Pairs:
    """Exact point-to-segment distances of (point, candidate edge) pairs grouped by point, with preferences."""

    def __init__(self, graph: WalkGraph, points: np.ndarray, point: np.ndarray, edge: np.ndarray, limit_m: float,
                 vectors: tuple[np.ndarray, ...] | None = None):
        """``vectors``: per pair, the edge's start x, start y, dx, dy and 1 / squared length (0 for a zero length),
        when the caller has them at hand."""
        self.graph, self.points, self.point, self.edge = graph, points, point, edge
        self.count = np.bincount(point, minlength=points.shape[0])  # pairs of each point (grouped by point)
        if vectors is None:
            ax, ay, dx, dy = (np.take(a, edge) for a in graph.edge_vectors)
            inverse = _inverse_square(dx, dy)
        else:
            ax, ay, dx, dy, inverse = vectors
        # the foot of the perpendicular at t along the edge, clamped to the edge (few temporaries: this runs over
        # every candidate pair)
        rx = np.take(np.ascontiguousarray(points[:, 0]), point)
        ry = np.take(np.ascontiguousarray(points[:, 1]), point)
        rx -= ax
        ry -= ay
        t = rx * dx
        t += ry * dy
        t *= inverse
        np.clip(t, 0.0, 1.0, out=t)
        self.t = t
        rx -= t * dx
        ry -= t * dy
        rx *= rx
        ry *= ry
        rx += ry
        self.distance = np.sqrt(rx, out=rx)
        self.usable = self.distance <= limit_m
        self.crossing = np.zeros(edge.shape[0], dtype=bool)

    def foot(self, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where these pairs' points project onto their edges."""
        ax, ay, dx, dy = (a[self.edge[pairs]] for a in self.graph.edge_vectors)
        return ax + self.t[pairs] * dx, ay + self.t[pairs] * dy

    def _test_crossing(self, pairs: np.ndarray) -> None:
        """Whether the access lines of these pairs cross a barrier line: the barriers listed in the cells of each
        line's bounding box, tested with array arithmetic. GEOS did this through an R-tree "intersects" query on one
        linestring per line, which was half of the attachment time on Helsinki (785 barrier segments, ~29,000 lines);
        its candidates are a subset of these and the crossing test is the same."""
        if self.graph.barriers.shape[0] == 0 or pairs.size == 0:
            return
        px, py = self.points[self.point[pairs], 0], self.points[self.point[pairs], 1]
        qx, qy = self.foot(pairs)
        box = np.minimum(px, qx), np.minimum(py, qy), np.maximum(px, qx), np.maximum(py, qy)
        near = self.graph.barrier_cells.any_in(*box)  # four reads per line, before listing barriers
        if not near.any():
            return
        pairs, px, py, qx, qy = pairs[near], px[near], py[near], qx[near], qy[near]
        line, barrier = self.graph.barrier_cells.grid.pairs(*(side[near] for side in box))
        b = self.graph.barrier_segments[barrier]
        # a line that only touches a barrier's end does not cross it
        crosses = _proper_crossing(px[line], py[line], qx[line], qy[line], b[:, 0], b[:, 1], b[:, 2], b[:, 3])
        self.crossing[pairs[line[crosses]]] = True

    def best(self) -> np.ndarray:
        """Per point, the pair of the nearest usable ground-level edge whose access line crosses no barrier, else
        of the nearest usable edge (-1: none within the limit). The chosen pair is tested for barriers; where it
        crosses one, the point's other pairs are tested nearest first, in growing batches, until one does not."""
        score = np.where(self.usable, self.distance, np.inf)
        if self.graph.has_levels:
            score += _TIER * (self.graph.edge_level[self.edge] != 0)
        n = self.points.shape[0]
        chosen = _argmin_by_group(score, self.count)
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
        return _argmin_by_group(final, self.count)

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


def _inverse_square(dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
    square = dx * dx + dy * dy
    with np.errstate(divide="ignore"):
        return np.where(square > 0, 1.0 / square, 0.0)


def _proper_crossing(ax, ay, bx, by, cx, cy, dx, dy) -> np.ndarray:
    """Whether segments ab and cd cross at a point inside both (strict orientation test)."""

    def side(px, py, qx, qy, rx, ry):
        return np.sign((qx - px) * (ry - py) - (qy - py) * (rx - px))

    return (side(ax, ay, bx, by, cx, cy) * side(ax, ay, bx, by, dx, dy) < 0) & (
        side(cx, cy, dx, dy, ax, ay) * side(cx, cy, dx, dy, bx, by) < 0
    )


def _argmin_by_group(score: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Index of the first smallest finite score of each group (entries grouped, ``count[g]`` entries in group g);
    -1 for none."""
    chosen = np.full(count.shape[0], -1, dtype=np.int64)
    present = np.flatnonzero(count)
    if present.size == 0:
        return chosen
    starts = (np.cumsum(count) - count)[present]
    lowest = np.minimum.reduceat(score, starts)
    is_min = score == np.repeat(lowest, count[present])
    is_min &= np.isfinite(score)
    big = score.shape[0]
    first = np.minimum.reduceat(np.where(is_min, np.arange(big), big), starts)
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
