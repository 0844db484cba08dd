import numpy as np

from civicgrid.servicecircle.engine.buckets import NodeBuckets


def test_disc_queries_match_brute_force():
    rng = np.random.default_rng(4)
    x, y = rng.uniform(0, 5000, 20_000), rng.uniform(0, 3000, 20_000)
    buckets = NodeBuckets(x, y)
    for cx, cy, r in [(2500, 1500, 700), (0, 0, 300), (-400, 1000, 450), (5200, 3100, 10), (9000, 9000, 100),
                      (2500, 1500, 1e6), (1234.5, 2345.6, 0.0)]:
        expected = np.flatnonzero((x - cx) ** 2 + (y - cy) ** 2 <= r * r)
        np.testing.assert_array_equal(buckets.within(cx, cy, r), expected)
