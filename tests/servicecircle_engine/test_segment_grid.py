import numpy as np

from civicgrid.servicecircle.engine.segments import SegmentGrid


def test_boxes_list_every_segment_whose_box_they_meet():
    rng = np.random.default_rng(15)
    ax, ay = rng.uniform(0, 800, 300), rng.uniform(0, 600, 300)
    bx, by = ax + rng.uniform(-120, 120, 300), ay + rng.uniform(-120, 120, 300)
    grid = SegmentGrid(ax, ay, bx, by)
    # boxes inside, across and beyond the grid's edges, and a point-sized one
    x0, y0 = rng.uniform(-200, 1000, 400), rng.uniform(-200, 800, 400)
    x1, y1 = x0 + rng.uniform(0, 90, 400), y0 + rng.uniform(0, 90, 400)
    x0[0], y0[0], x1[0], y1[0] = ax[0], ay[0], ax[0], ay[0]
    box, item = grid.pairs(x0, y0, x1, y1)
    listed = set(zip(box.tolist(), item.tolist(), strict=True))
    meets = ((np.minimum(ax, bx)[None, :] <= x1[:, None]) & (np.maximum(ax, bx)[None, :] >= x0[:, None])
             & (np.minimum(ay, by)[None, :] <= y1[:, None]) & (np.maximum(ay, by)[None, :] >= y0[:, None]))
    expected = set(zip(*(a.tolist() for a in np.nonzero(meets)), strict=True))
    assert expected <= listed
    assert (0, 0) in listed
    # and nothing from cells the box does not touch: far boxes list nothing
    far_box, _ = grid.pairs(np.array([5000.0]), np.array([5000.0]), np.array([5100.0]), np.array([5100.0]))
    assert far_box.size == 0
