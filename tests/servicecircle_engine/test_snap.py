import numpy as np

from civicgrid.servicecircle.engine import snap_points


def test_snap_limit_is_honoured(square):
    lon = np.array([116.2001, 116.2009, 116.25])
    lat = np.array([39.9, 39.9009, 39.9])
    snapped = snap_points(graph=square, lon=lon, lat=lat, limit_m=20.0)
    assert snapped.node.tolist() == [0, 2, -1]
    assert snapped.ok.tolist() == [True, True, False]
    assert snapped.n_rejected == 1
    assert 8 < snapped.distance_m[0] < 9
    assert snapped.distance_m[2] > 3000
