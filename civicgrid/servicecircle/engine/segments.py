"""Segments near points, from grids of square cells; array arithmetic over all points at once, no per-point Python
and no tree walk.

`EdgeCells` (the index every attachment uses): the edges cut into pieces at most one cell long, each piece listed
in the cell holding its midpoint, cells in a dense row-major table. A point's candidates are the pieces in the
cells ``ring`` around its own: one contiguous run of pieces per row of cells, so the query is a few array reads per
point. Any point of an edge lies within half a piece of that piece's midpoint, which bounds how far an edge left
out can be (`EdgeCells.complete_within`).

`SegmentGrid` lists a segment in every cell its bounding box touches (for `CellMask`, which tells whether any
barrier is near a line, and lists the barriers whose cells a line's bounding box touches)."""

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
    """A cell holding about `PIECES_PER_CELL` pieces around a typical edge: the density of edges and of street length
    in the cells of a coarse grid, as seen from the edges (a dense centre counts for its many edges, empty land for
    nothing), so that the cells fit where the streets, and the homes along them, are."""
    coarse = max(4 * EDGE_CELL_M[1], span / np.sqrt(MAX_CELLS))
    # non-negative, so truncation is the floor (several times faster than a float floor division)
    col = ((mx - mx.min()) * (1 / coarse)).astype(np.int64)
    row = ((my - my.min()) * (1 / coarse)).astype(np.int64)
    key = row * (int(col.max()) + 1) + col
    edges = np.bincount(key).astype(np.float64)
    metres = np.bincount(key, weights=length)
    area = coarse * coarse
    # c * c * edges / area pieces from short edges, c * length / area from long ones (cut every c)
    by_count = np.sqrt(PIECES_PER_CELL * area * mx.shape[0] / float((edges * edges).sum()))
    by_length = PIECES_PER_CELL * area * mx.shape[0] / max(float((edges * metres).sum()), 1.0)
    return float(np.clip(min(by_count, by_length), *EDGE_CELL_M))


class EdgeCells:
    """Pieces of the given edges (at most ``cell`` long) listed by the cell of their midpoint.

    Per piece, in table order, ``item``: the position of its edge in the arrays given (``edge``: its edge id); the
    segments (``ax``, ``ay``, ``dx``, ``dy``, and ``inverse_square``, 1 / the squared length or 0) stay per edge."""

    def __init__(self, ax: np.ndarray, ay: np.ndarray, dx: np.ndarray, dy: np.ndarray, edges: np.ndarray,
                 cell: float | None = None) -> None:
        n = edges.shape[0]
        self.edges, self.ax, self.ay, self.dx, self.dy = edges, ax, ay, dx, dy
        square = dx * dx + dy * dy
        length = np.sqrt(square)
        with np.errstate(divide="ignore"):
            self.inverse_square = np.where(square > 0, 1.0 / square, 0.0)
        bx, by = ax + dx, ay + dy
        self.x0 = float(min(ax.min(), bx.min())) if n else 0.0
        self.y0 = float(min(ay.min(), by.min())) if n else 0.0
        span_x = float(max(ax.max(), bx.max())) - self.x0 if n else 0.0
        span_y = float(max(ay.max(), by.max())) - self.y0 if n else 0.0
        if n:
            mx, my = ax + 0.5 * dx, ay + 0.5 * dy
            span = max(span_x, span_y)
            cell = max(cell or _cell_size(mx, my, length, span), span / np.sqrt(MAX_CELLS))
        self.cell = float(cell or EDGE_CELL_M[1])
        self.width = int(span_x // self.cell) + 1
        self.height = int(span_y // self.cell) + 1
        # floor(L / cell) + 1 pieces, each shorter than a cell; one piece (the midpoint) for most edges
        pieces = (length * (1 / self.cell)).astype(np.int64) + 1
        if n and pieces.max() > 1:
            item = np.repeat(np.arange(n), pieces)
            t = np.arange(item.shape[0]) + 0.5
            t -= np.repeat(np.cumsum(pieces) - pieces, pieces)
            t /= np.take(pieces, item)
            mx, my = np.take(ax, item) + t * np.take(dx, item), np.take(ay, item) + t * np.take(dy, item)
        else:
            item = np.arange(n)
            if not n:
                mx = my = np.empty(0)
        # every point of a piece is within half its length of its midpoint
        self.half = float((length / pieces).max(initial=0.0)) / 2
        # non-negative, so truncation is the floor (several times faster than a float floor division)
        key = ((my - self.y0) * (1 / self.cell)).astype(np.int64) * self.width
        key += ((mx - self.x0) * (1 / self.cell)).astype(np.int64)
        order = sorted_order(key)
        self.starts = np.zeros(self.width * self.height + 1, dtype=np.int64)
        np.cumsum(np.bincount(key, minlength=self.width * self.height), out=self.starts[1:])
        self.item = np.take(item, order)
        self.identity = bool(n == 0 or (edges[0] == 0 and edges[-1] == n - 1))  # every edge: item is the edge id
        self.edge = self.item if self.identity else np.take(edges, self.item)

    @property
    def n_pieces(self) -> int:
        return int(self.edge.shape[0])

    def candidates(self, x: np.ndarray, y: np.ndarray, ring: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """(point, piece) pairs of the pieces in the cells at most ``ring`` cells from each point's own, grouped by
        point in increasing order; an edge may come more than once for one point (one pair per piece)."""
        col = np.floor((x - self.x0) * (1 / self.cell)).astype(np.int64)
        row = np.floor((y - self.y0) * (1 / self.cell)).astype(np.int64)
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
        fx = (x - self.x0) * (1 / self.cell)
        fy = (y - self.y0) * (1 / self.cell)
        fx -= np.floor(fx)
        fy -= np.floor(fy)
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

    def pairs(self, xmin: np.ndarray, ymin: np.ndarray, xmax: np.ndarray, ymax: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
        """(box, segment) pairs of the segments listed in a cell each box touches: every segment whose bounding box
        meets the box is among them (a segment may come more than once for one box)."""
        # cells outside the grid clip onto its empty border, which lists nothing
        c0x = np.clip(self._col(xmin), -1, self.width - 2)
        c1x = np.clip(self._col(xmax), -1, self.width - 2)
        c0y = np.clip(self._row(ymin), -1, self.height - 2)
        c1y = np.clip(self._row(ymax), -1, self.height - 2)
        nx = c1x - c0x + 1
        count = nx * (c1y - c0y + 1)
        box = np.repeat(np.arange(xmin.shape[0]), count)
        k = np.arange(box.shape[0]) - np.repeat(np.cumsum(count) - count, count)
        key = self._key(np.take(c0x, box) + k % np.take(nx, box), np.take(c0y, box) + k // np.take(nx, box))
        lo = np.searchsorted(self.keys, key, side="left")
        listed = np.searchsorted(self.keys, key, side="right") - lo
        ends = np.cumsum(listed)
        at = np.arange(int(ends[-1]) if ends.size else 0) + np.repeat(lo - (ends - listed), listed)
        return np.repeat(box, listed), self.items[at]


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
        self.grid = grid = SegmentGrid(ax, ay, bx, by, cell=cell)
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
