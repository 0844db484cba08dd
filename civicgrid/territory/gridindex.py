"""Point-in-grid lookup over a shapely 2 STRtree (no Django, so the bench can use it alone).

A point on the shared edge of two grids belongs to the grid that comes first in `codes` order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely


class GridIndex:
    def __init__(self, codes: Sequence[str], geoms: Sequence[shapely.Geometry]):
        if len(codes) != len(geoms):
            raise ValueError("codes and geoms differ in length")
        self.codes = np.asarray(list(codes), dtype=object)
        self.geoms = np.asarray(list(geoms), dtype=object)
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)

    def __len__(self) -> int:
        return len(self.codes)

    def locate_indices(self, lons, lats) -> np.ndarray:
        """For each point, the index of the grid that covers it, or -1."""
        points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
        points = np.atleast_1d(points)
        result = np.full(len(points), -1, dtype=np.int64)
        if len(self.codes) == 0 or len(points) == 0:
            return result
        point_idx, grid_idx = self.tree.query(points, predicate="intersects")
        # several hits only on shared edges: keep the smallest grid index (first in code order)
        order = np.lexsort((grid_idx, point_idx))
        point_idx, grid_idx = point_idx[order], grid_idx[order]
        first = np.ones(len(point_idx), dtype=bool)
        first[1:] = point_idx[1:] != point_idx[:-1]
        result[point_idx[first]] = grid_idx[first]
        return result

    def locate_many(self, lons, lats) -> np.ndarray:
        """Grid codes (object array, None outside every grid)."""
        indices = self.locate_indices(lons, lats)
        codes = np.full(len(indices), None, dtype=object)
        inside = indices >= 0
        codes[inside] = self.codes[indices[inside]]
        return codes

    def locate(self, lon: float, lat: float) -> str | None:
        """One point, through the tree without the array bookkeeping."""
        hits = self.tree.query(shapely.Point(lon, lat), predicate="intersects")
        if len(hits) == 0:
            return None
        return str(self.codes[int(hits.min())])
