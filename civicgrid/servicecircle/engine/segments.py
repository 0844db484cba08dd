"""Segments near points, from grids of square cells; array arithmetic over all points at once, no per-point Python
and no tree walk.

`EdgeCells` (the index every attachment uses): the edges cut into pieces at most one cell long, each piece listed
in the cell holding its midpoint, cells in a dense row-major table. A point's candidates are the pieces in the
cells ``ring`` around its own: one contiguous run of pieces per row of cells, so the query is a few array reads per
point. Any point of an edge lies within half a piece of that piece's midpoint, which bounds how far an edge left
out can be (`EdgeCells.complete_within`).

`SegmentGrid` lists a segment in every cell its bounding box touches (for `CellMask`, which tells whether any
barrier is near a line)."""

from __future__ import annotations

import numpy as np

CELL_M = 25.0
PIECES_PER_CELL = 1.0  # the cell size aims at this many pieces in an occupied cell
EDGE_CELL_M = (8.0, 60.0)  # smallest and largest cell
MAX_CELLS = 4_000_000  # a larger extent gets larger cells (the table holds one integer per cell)


def sorted_order(key: np.ndarray) -> np.ndarray:
    """``np.argsort(key, kind="stable")`` for non-negative integer keys, several times faster: the key and the
    position packed into one int64 go through numpy's vectorised sort (falls back to argsort when they do not fit)."""
    n = key.shape[0]
    if n == 0:
        return np.empty(0, dtype=np.int64)
    bits = max(int(n - 1).bit_length(), 1)
    top = int(key.max())
    if int(key.min()) < 0 or top >= 1 << (62 - bits):
        return np.argsort(key, kind="stable")
    packed = np.sort((key.astype(np.int64) << bits) | np.arange(n, dtype=np.int64))
    return packed & ((1 << bits) - 1)


def _cell_size(mx: np.ndarray, my: np.ndarray, length: np.ndarray, span: float) -> float:
    """A cell holding about `PIECES_PER_CELL` pieces where there are streets: the density of edges and of street
    length over the cells of a coarse grid that hold an edge midpoint (empty land, a river, does not count)."""
    coarse = max(4 * EDGE_CELL_M[1], span / np.sqrt(MAX_CELLS))
    col = ((mx - mx.min()) // coarse).astype(np.int64)
    row = ((my - my.min()) // coarse).astype(np.int64)
    occupied = np.count_nonzero(np.bincount(row * (int(col.max()) + 1) + col)) * coarse * coarse
    # c * c * edges / area pieces from short edges, c * length / area from long ones (cut every c)
    by_count = np.sqrt(PIECES_PER_CELL * occupied / mx.shape[0])
    by_length = PIECES_PER_CELL * occupied / max(float(length.sum()), 1.0)
    return float(np.clip(min(by_count, by_length), *EDGE_CELL_M))


class EdgeCells:
    """Pieces of the given edges (at most ``cell`` long) listed by the cell of their midpoint.

    Per piece, in table order: ``edge`` (the edge id), its whole edge as a segment (``ax``, ``ay``, ``dx``, ``dy``)
    and 1 / its squared length (0 for a zero length), copied so that a query reads them in runs."""

    def __init__(self, ax: np.ndarray, ay: np.ndarray, dx: np.ndarray, dy: np.ndarray, edges: np.ndarray,
                 cell: float | None = None) -> None:
        n = edges.shape[0]
        length = np.hypot(dx, dy)
        if n:
            span = max(float(np.ptp(np.concatenate([ax, ax + dx]))), float(np.ptp(np.concatenate([ay, ay + dy]))))
            cell = max(cell or _cell_size(ax + dx / 2, ay + dy / 2, length, span), span / np.sqrt(MAX_CELLS))
        self.cell = float(cell or EDGE_CELL_M[1])
        pieces = np.maximum(np.ceil(length / self.cell), 1).astype(np.int64)
        item = np.repeat(np.arange(n), pieces)
        first = np.repeat(np.cumsum(pieces) - pieces, pieces)
        t = (np.arange(item.shape[0]) - first + 0.5) / pieces[item]
        mx, my = ax[item] + t * dx[item], ay[item] + t * dy[item]
        # every point of a piece is within half its length of its midpoint
        self.half = float((length / pieces).max(initial=0.0)) / 2
        self.x0 = float(mx.min()) if n else 0.0
        self.y0 = float(my.min()) if n else 0.0
        col = np.floor((mx - self.x0) / self.cell).astype(np.int64)
        row = np.floor((my - self.y0) / self.cell).astype(np.int64)
        self.width = int(col.max(initial=0)) + 1
        self.height = int(row.max(initial=0)) + 1
        key = row * self.width + col
        order = sorted_order(key)
        self.starts = np.zeros(self.width * self.height + 1, dtype=np.int64)
        np.cumsum(np.bincount(key, minlength=self.width * self.height), out=self.starts[1:])
        item = item[order]
        self.edge = edges[item]
        self.ax, self.ay, self.dx, self.dy = ax[item], ay[item], dx[item], dy[item]
        square = self.dx * self.dx + self.dy * self.dy
        with np.errstate(divide="ignore"):
            self.inverse_square = np.where(square > 0, 1.0 / square, 0.0)

    @property
    def n_pieces(self) -> int:
        return int(self.edge.shape[0])

    def candidates(self, x: np.ndarray, y: np.ndarray, ring: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """(point, piece) pairs of the pieces in the cells at most ``ring`` cells from each point's own, grouped by
        point in increasing order; an edge may come more than once for one point (one pair per piece)."""
        col = np.floor((x - self.x0) / self.cell).astype(np.int64)
        row = np.floor((y - self.y0) / self.cell).astype(np.int64)
        rows = row[:, None] + np.arange(-ring, ring + 1)[None, :]
        c0 = np.clip(col - ring, 0, self.width - 1)[:, None]
        c1 = np.clip(col + ring, 0, self.width - 1)[:, None]
        inside = (rows >= 0) & (rows < self.height) & (col[:, None] + ring >= 0) & (col[:, None] - ring < self.width)
        base = np.where(inside, rows, 0) * self.width
        lo = self.starts[base + c0]
        count = np.where(inside, self.starts[base + c1 + 1] - lo, 0).ravel()
        total = np.cumsum(count)
        point = np.repeat(np.arange(x.shape[0]), count.reshape(x.shape[0], -1).sum(axis=1))
        piece = np.arange(int(total[-1]) if total.size else 0) + np.repeat(lo.ravel() - (total - count), count)
        return point, piece

    def complete_within(self, x: np.ndarray, y: np.ndarray, ring: int = 1) -> np.ndarray:
        """Per point, the distance within which ``candidates(ring=ring)`` lists every edge: the pieces whose midpoint
        is within ``ring`` cells plus the distance to the nearest side of the point's own cell, less half a piece."""
        fx = (x - self.x0) / self.cell - np.floor((x - self.x0) / self.cell)
        fy = (y - self.y0) / self.cell - np.floor((y - self.y0) / self.cell)
        inner = np.minimum(np.minimum(fx, 1 - fx), np.minimum(fy, 1 - fy)) * self.cell
        return ring * self.cell + inner - self.half


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
