"""The fast attachment (edge pieces by cell, rings widened until sure, all points at once) against a brute force
over every edge, and one point at a time against all points at once, on random streets with bridges, private ways,
long edges and barriers."""

import numpy as np
import pytest
import shapely
from scipy.sparse.csgraph import dijkstra

from civicgrid.servicecircle.engine import (
    attach_xy,
    attached_distance,
    make_graph,
    nearest_by_attached_category,
    nearest_from_attached,
)
from civicgrid.servicecircle.engine.attach import MAX_RING
from civicgrid.servicecircle.engine.segments import EdgeCells, sorted_order

LON0, LAT0 = 116.3, 39.95


def random_streets(seed: int, *, n_nodes: int = 220, n_barriers: int = 60, scale: float = 1.0):
    """Nodes in about 1 km square (times ``scale``), each joined to some of its nearest neighbours, some long edges
    across, some coincident nodes (zero-length edges); 25 % of edges on a bridge, 10 % private; barriers as lon/lat
    segments."""
    rng = np.random.default_rng(seed)
    lon = LON0 + rng.uniform(0, 0.012 * scale, n_nodes)
    lat = LAT0 + rng.uniform(0, 0.009 * scale, n_nodes)
    lon[-5:], lat[-5:] = lon[:5], lat[:5]  # coincident with the first five
    xy = np.column_stack([lon * 85_000, lat * 111_000])
    near = np.argsort(np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)), axis=1)[:, 1:4]
    u = np.repeat(np.arange(n_nodes), 3)
    v = near.ravel()
    keep = rng.random(u.shape[0]) < 0.7
    u, v = u[keep], v[keep]
    long_u, long_v = rng.integers(0, n_nodes, 8), rng.integers(0, n_nodes, 8)
    u, v = np.concatenate([u, long_u, np.arange(5)]), np.concatenate([v, long_v, np.arange(n_nodes - 5, n_nodes)])
    level = np.where(rng.random(u.shape[0]) < 0.25, 1, 0)
    private = rng.random(u.shape[0]) < 0.1
    spread = rng.uniform(-0.002, 0.002, (n_barriers, 2)) * [0, 1]
    b_lon = LON0 + (rng.uniform(0, 0.012, (n_barriers, 1)) + spread) * scale
    spread = rng.uniform(-0.002, 0.002, (n_barriers, 2)) * [0, 1]
    b_lat = LAT0 + (rng.uniform(0, 0.009, (n_barriers, 1)) + spread) * scale
    barriers = np.column_stack([b_lon[:, 0], b_lat[:, 0], b_lon[:, 1], b_lat[:, 1]])
    return make_graph(lon=lon, lat=lat, u=u, v=v, edge_level=level, edge_private=private, barriers=barriers)


def random_points(graph, seed: int, n: int = 300) -> tuple[np.ndarray, np.ndarray]:
    """Points over the area and 200 m beyond it, some exactly on vertices and some exactly on edges."""
    rng = np.random.default_rng(seed + 1000)
    x = rng.uniform(graph.x.min() - 200, graph.x.max() + 200, n)
    y = rng.uniform(graph.y.min() - 200, graph.y.max() + 200, n)
    x[:20], y[:20] = graph.x[:20], graph.y[:20]
    e = rng.integers(0, graph.n_edges, 20)
    t = rng.uniform(0, 1, 20)
    x[20:40] = graph.x[graph.u[e]] + t * (graph.x[graph.v[e]] - graph.x[graph.u[e]])
    y[20:40] = graph.y[graph.u[e]] + t * (graph.y[graph.v[e]] - graph.y[graph.u[e]])
    return x, y


def brute_force(graph, x, y, limit_m: float, public_only: bool):
    """Per point over every edge: the nearest ground-level edge whose access line crosses no barrier, else the nearest
    off-ground one with a clear access line, else the nearest behind a barrier (ground first), within the limit.
    Returns the tier (0..3, -1: none), the offset, the foot of the perpendicular and the nearest usable distance."""
    edges = np.flatnonzero(~graph.edge_private) if public_only else np.arange(graph.n_edges)
    ax, ay = graph.x[graph.u[edges]], graph.y[graph.u[edges]]
    dx, dy = graph.x[graph.v[edges]] - ax, graph.y[graph.v[edges]] - ay
    barriers = shapely.linestrings(graph.barrier_segments.reshape(-1, 2, 2))
    tiers, offsets, feet, nearest = [], [], [], []
    for px, py in zip(x, y, strict=True):
        square = dx * dx + dy * dy
        t = np.clip(np.where(square > 0, ((px - ax) * dx + (py - ay) * dy) / np.where(square > 0, square, 1), 0), 0, 1)
        fx, fy = ax + t * dx, ay + t * dy
        d = np.hypot(px - fx, py - fy)
        usable = np.flatnonzero(d <= limit_m)
        if usable.size == 0:
            tiers.append(-1), offsets.append(np.inf), feet.append((px, py)), nearest.append(np.inf)
            continue
        lines = shapely.linestrings(np.stack([np.broadcast_to([px, py], (usable.size, 2)),
                                              np.column_stack([fx[usable], fy[usable]])], axis=1))
        crosses = np.array([bool(shapely.crosses(line, barriers).any()) for line in lines])
        tier = 2 * crosses + (graph.edge_level[edges[usable]] != 0)
        best = np.lexsort((d[usable], tier))[0]
        tiers.append(int(tier[best]))
        offsets.append(float(d[usable][best]))
        feet.append((float(fx[usable][best]), float(fy[usable][best])))
        nearest.append(float(d[usable].min()))
    return np.array(tiers), np.array(offsets), np.array(feet), np.array(nearest)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("limit_m", [40.0, 150.0])
@pytest.mark.parametrize("public_only", [False, True])
def test_attachment_equals_a_brute_force_over_every_edge(seed, limit_m, public_only):
    graph = random_streets(seed)
    x, y = random_points(graph, seed)
    got = attach_xy(graph=graph, x=x, y=y, limit_m=limit_m, public_only=public_only)
    tier, offset, foot, nearest = brute_force(graph, x, y, limit_m, public_only)
    assert np.array_equal(got.ok, tier >= 0)
    ok = got.ok
    # the preferences are exercised: a farther edge chosen over a bridge or a barrier, or none clear
    assert ok.sum() > 100 and ((offset[ok] > nearest[ok] + 1e-6) | (tier[ok] > 0)).sum() >= 10
    got_tier = 2 * got.crosses_barrier + (got.level != 0)
    assert np.array_equal(got_tier[ok], tier[ok])
    np.testing.assert_allclose(got.offset_m[ok], offset[ok], rtol=0, atol=1e-9)
    np.testing.assert_allclose(np.column_stack([got.x, got.y])[ok], foot[ok], rtol=0, atol=1e-6)
    # the split lengths add up to the edge's length, and a public-only attachment never lands on a private way
    np.testing.assert_allclose(got.along_u_m[ok] + got.along_v_m[ok], graph.length_m[got.edge[ok]], rtol=1e-12)
    assert not (public_only and got.private.any())


def test_points_beyond_the_rings_get_every_edge_within_the_limit_from_the_r_tree():
    """A dense network (small cells) and points 110-148 m from it: they go past the last ring to the R-tree and keep
    the same preferences as the brute force."""
    graph = random_streets(10, scale=0.15)
    cells = graph.edge_cells()
    rng = np.random.default_rng(10)
    angle, far = rng.uniform(0, 2 * np.pi, 60), rng.uniform(110, 148, 60)
    cx, cy = graph.x.mean(), graph.y.mean()
    reach = np.hypot(graph.x - cx, graph.y - cy).max()
    x, y = cx + (reach + far) * np.cos(angle), cy + (reach + far) * np.sin(angle)
    assert cells.cell * MAX_RING < 110
    got = attach_xy(graph=graph, x=x, y=y, limit_m=150.0)
    tier, offset, foot, _ = brute_force(graph, x, y, 150.0, public_only=False)
    assert np.array_equal(got.ok, tier >= 0) and got.ok.sum() > 30
    ok = got.ok
    assert np.array_equal((2 * got.crosses_barrier + (got.level != 0))[ok], tier[ok])
    np.testing.assert_allclose(got.offset_m[ok], offset[ok], rtol=0, atol=1e-9)
    np.testing.assert_allclose(np.column_stack([got.x, got.y])[ok], foot[ok], rtol=0, atol=1e-6)


@pytest.mark.parametrize("seed", [4, 5])
def test_all_points_at_once_equal_one_point_at_a_time(seed):
    graph = random_streets(seed)
    x, y = random_points(graph, seed, n=120)
    batch = attach_xy(graph=graph, x=x, y=y, limit_m=150.0)
    for i in range(x.shape[0]):
        one = attach_xy(graph=graph, x=x[i : i + 1], y=y[i : i + 1], limit_m=150.0)
        for name in batch.__dataclass_fields__:
            assert np.array_equal(getattr(one, name), getattr(batch, name)[i : i + 1]), (i, name)


def test_the_cells_list_every_edge_within_the_distance_they_promise():
    graph = random_streets(6)
    x, y = random_points(graph, 6, n=400)
    ax, ay, dx, dy = graph.edge_vectors
    cells = EdgeCells(ax, ay, dx, dy, np.arange(graph.n_edges))
    square = dx * dx + dy * dy
    for ring in (1, 2, 4):
        point, piece = cells.candidates(x, y, ring=ring)
        listed = set(zip(point.tolist(), cells.edge[piece].tolist(), strict=True))
        complete = cells.complete_within(x, y, ring=ring)
        assert np.all(np.diff(point) >= 0)
        for i in range(x.shape[0]):
            t = np.clip(np.where(square > 0, ((x[i] - ax) * dx + (y[i] - ay) * dy) / np.where(square > 0, square, 1),
                                 0), 0, 1)
            d = np.hypot(x[i] - ax - t * dx, y[i] - ay - t * dy)
            for e in np.flatnonzero(d <= complete[i]):
                assert (i, int(e)) in listed, (ring, i, e)


def test_sorted_order_is_a_stable_argsort():
    rng = np.random.default_rng(0)
    for high in (3, 1000, 2**40, 2**62):
        key = rng.integers(0, high, 5000)
        assert np.array_equal(sorted_order(key), np.argsort(key, kind="stable"))
    assert sorted_order(np.empty(0, np.int64)).shape == (0,)


@pytest.mark.parametrize("seed", [7, 8])
def test_walks_from_attached_places_equal_a_search_from_every_facility(seed):
    """`nearest_from_attached` + `attached_distance` (one search, facilities as virtual nodes, shared streets walked
    straight) against a search from both ends of every facility's street and every place's street."""
    graph = random_streets(seed)
    rng = np.random.default_rng(seed)
    hx, hy = random_points(graph, seed, n=250)
    homes = attach_xy(graph=graph, x=hx, y=hy, limit_m=150.0, public_only=True)
    # facilities: some on the streets of homes, some anywhere
    on = rng.choice(np.flatnonzero(homes.ok), 15, replace=False)
    t = rng.uniform(0, 1, 15)
    fx = np.concatenate([graph.x[homes.u[on]] + t * (graph.x[homes.v[on]] - graph.x[homes.u[on]]) + 3,
                         rng.uniform(graph.x.min(), graph.x.max(), 10)])
    fy = np.concatenate([graph.y[homes.u[on]] + t * (graph.y[homes.v[on]] - graph.y[homes.u[on]]),
                         rng.uniform(graph.y.min(), graph.y.max(), 10)])
    facilities = attach_xy(graph=graph, x=fx, y=fy, limit_m=150.0, public_only=True)
    limit = 400.0
    got, which = attached_distance(places=homes,
                                   nearest=nearest_from_attached(graph=graph, facilities=facilities, limit_m=limit))
    node = dijkstra(graph.adjacency, directed=True)
    want = np.full(homes.ok.shape[0], np.inf)
    for f in np.flatnonzero(facilities.ok):
        from_f = np.minimum(facilities.along_u_m[f] + node[facilities.u[f]],
                            facilities.along_v_m[f] + node[facilities.v[f]]) + facilities.offset_m[f]
        walk = np.minimum(from_f[homes.u] + homes.along_u_m, from_f[homes.v] + homes.along_v_m) + homes.offset_m
        same = homes.edge == facilities.edge[f]
        walk[same] = np.minimum(walk[same], np.abs(homes.along_u_m[same] - facilities.along_u_m[f])
                                + homes.offset_m[same] + facilities.offset_m[f])
        want = np.minimum(want, np.where(homes.ok, walk, np.inf))
    want[want > limit] = np.inf
    assert np.isfinite(want).sum() > 50 and (homes.edge[:, None] == facilities.edge[None, :15]).any(1).sum() >= 10
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-9)
    assert np.array_equal(which >= 0, np.isfinite(want))


def test_one_matrix_for_all_categories_equals_one_search_per_category():
    graph = random_streets(9)
    rng = np.random.default_rng(9)
    fx, fy = random_points(graph, 9, n=90)
    facilities = attach_xy(graph=graph, x=fx, y=fy, limit_m=150.0, public_only=True)
    category = rng.integers(-1, 4, fx.shape[0])
    category[category == 2] = 3  # category 2 has no facility
    limits = [150.0, 300.0, 300.0, 600.0]
    together = nearest_by_attached_category(graph=graph, facilities=facilities, category=category, limits_m=limits)
    for j, limit in enumerate(limits):
        rows = np.flatnonzero(category == j)
        alone = nearest_from_attached(graph=graph, facilities=facilities.take(rows), limit_m=limit)
        assert np.array_equal(together[j].nearest.distance_m, alone.nearest.distance_m)
        reached = alone.nearest.facility >= 0
        assert np.array_equal(together[j].nearest.facility >= 0, reached)
        assert np.array_equal(together[j].nearest.facility[reached], rows[alone.nearest.facility[reached]])
        assert (reached.sum() > 20) == (j != 2)
