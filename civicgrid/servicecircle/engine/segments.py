"""Edges near points, from a grid of square cells: each edge is listed in every cell its bounding box touches.

A point's candidates are the edges listed in the cells around its own (``ring`` cells each way), so any edge at most
``ring * cell`` from the point is among them. Everything is array arithmetic over all points at once: a few
searchsorted calls and one flat array of (point, edge) pairs, no per-point Python and no tree walk."""

from __future__ import annotations

import numpy as np

CELL_M = 25.0


class SegmentGrid:
    def __init__(self, ax: np.ndarray, ay: np.ndarray, bx: np.ndarray, by: np.ndarray, cell: float = CELL_M) -> None:
        self.cell = float(cell)
        n = ax.shape[0]
        self.x0 = float(min(ax.min(), bx.min())) if n else 0.0
        self.y0 = float(min(ay.min(), by.min())) if n else 0.0
        c0x, c1x = self._col(np.minimum(ax, bx)), self._col(np.maximum(ax, bx))
        c0y, c1y = self._row(np.minimum(ay, by)), self._row(np.maximum(ay, by))
        nx, ny = c1x - c0x + 1, c1y - c0y + 1
        count = nx * ny
        item = np.repeat(np.arange(n), count)
        k = np.arange(item.shape[0]) - np.repeat(np.cumsum(count) - count, count)
        cx = c0x[item] + k % nx[item]
        cy = c0y[item] + k // nx[item]
        # one empty column and row on each side, so neighbours of border cells have keys of their own
        self.width = int(cx.max(initial=0)) + 3
        self.height = int(cy.max(initial=0)) + 3
        key = self._key(cx, cy)
        order = np.argsort(key, kind="stable")
        self.keys, self.items = key[order], item[order]

    def _col(self, x: np.ndarray) -> np.ndarray:
        return np.floor((x - self.x0) / self.cell).astype(np.int64)

    def _row(self, y: np.ndarray) -> np.ndarray:
        return np.floor((y - self.y0) / self.cell).astype(np.int64)

    def _key(self, cx: np.ndarray, cy: np.ndarray) -> np.ndarray:
        return (cy + 1) * self.width + (cx + 1)

    def candidates(self, x: np.ndarray, y: np.ndarray, ring: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """(point, item) pairs, grouped by point in increasing order; an item may repeat for one point."""
        steps = np.arange(-ring, ring + 1)
        cx = (self._col(x)[:, None, None] + steps[None, None, :])
        cy = (self._row(y)[:, None, None] + steps[None, :, None])
        inside = (cx >= -1) & (cx <= self.width - 2) & (cy >= -1) & (cy <= self.height - 2)
        key = np.where(inside, self._key(cx, cy), -1).reshape(x.shape[0], -1)
        lo = np.searchsorted(self.keys, key, side="left")
        hi = np.searchsorted(self.keys, key, side="right")
        count = (hi - lo).ravel()
        point = np.repeat(np.repeat(np.arange(x.shape[0]), key.shape[1]), count)
        pos = np.repeat(lo.ravel(), count) + np.arange(point.shape[0]) - np.repeat(np.cumsum(count) - count, count)
        return point, self.items[pos]

    def complete_within(self, x: np.ndarray, y: np.ndarray, ring: int = 1) -> np.ndarray:
        """Per point, the distance within which ``candidates(ring=ring)`` lists every edge: ``ring`` cells plus the
        point's distance to the nearest side of its own cell."""
        fx = (x - self.x0) / self.cell - np.floor((x - self.x0) / self.cell)
        fy = (y - self.y0) / self.cell - np.floor((y - self.y0) / self.cell)
        inner = np.minimum(np.minimum(fx, 1 - fx), np.minimum(fy, 1 - fy)) * self.cell
        return ring * self.cell + inner


class CellMask:
    """Which cells the bounding boxes of some segments (barriers) touch, with a summed-area table, so that
    "does any such cell lie in this rectangle?" is four array reads: lines far from every barrier skip GEOS."""

    def __init__(self, ax: np.ndarray, ay: np.ndarray, bx: np.ndarray, by: np.ndarray, cell: float = CELL_M) -> None:
        self.cell = float(cell)
        self.empty = ax.shape[0] == 0
        if self.empty:
            return
        self.x0 = float(min(ax.min(), bx.min()))
        self.y0 = float(min(ay.min(), by.min()))
        grid = SegmentGrid(ax, ay, bx, by, cell=cell)
        self.width, self.height = grid.width, grid.height
        # SegmentGrid keys are (row + 1) * width + (col + 1): the same cells, shifted by one
        marked = np.zeros(self.width * self.height, dtype=np.int32)
        marked[np.unique(grid.keys)] = 1
        table = np.zeros((self.height + 1, self.width + 1), dtype=np.int32)
        table[1:, 1:] = marked.reshape(self.height, self.width).cumsum(0).cumsum(1)
        self.table = table

    def any_in(self, xmin: np.ndarray, ymin: np.ndarray, xmax: np.ndarray, ymax: np.ndarray) -> np.ndarray:
        if self.empty:
            return np.zeros(xmin.shape[0], dtype=bool)
        c0 = np.clip(np.floor((xmin - self.x0) / self.cell).astype(np.int64) + 1, 0, self.width)
        c1 = np.clip(np.floor((xmax - self.x0) / self.cell).astype(np.int64) + 2, 0, self.width)
        r0 = np.clip(np.floor((ymin - self.y0) / self.cell).astype(np.int64) + 1, 0, self.height)
        r1 = np.clip(np.floor((ymax - self.y0) / self.cell).astype(np.int64) + 2, 0, self.height)
        t = self.table
        return (t[r1, c1] - t[r0, c1] - t[r1, c0] + t[r0, c0]) > 0
