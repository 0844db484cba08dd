"""Compact undirected walking network: node and edge arrays, CSR adjacency, versioned .npz files."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import scipy.sparse as sp
import shapely
from pyproj import CRS, Transformer
from scipy.spatial import cKDTree

from .buckets import NodeBuckets
from .segments import CellMask, EdgeCells, sorted_order

FORMAT_NAME = "civicgrid.walkgraph"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)


class GraphFormatError(ValueError):
    """A graph file is not a walk graph or has an unsupported format version."""


@dataclass(frozen=True, eq=False)
class WalkGraph:
    """Nodes in WGS-84 and in a metric CRS; edges stored once each (u < v), lengths in metres."""

    lon: np.ndarray
    lat: np.ndarray
    x: np.ndarray
    y: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length_m: np.ndarray
    crs: str
    node_ids: np.ndarray = field(repr=False)
    edge_private: np.ndarray = field(default=None, repr=False)  # type: ignore[arg-type]
    edge_level: np.ndarray = field(default=None, repr=False)  # type: ignore[arg-type]
    gate: np.ndarray = field(default=None, repr=False)  # type: ignore[arg-type]
    barriers: np.ndarray = field(default=None, repr=False)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        # edge and node attributes default to "public, ground level, no gates, no barriers"
        defaults = {
            "edge_private": np.zeros(self.u.shape[0], dtype=bool),
            "edge_level": np.zeros(self.u.shape[0], dtype=np.int8),
            "gate": np.zeros(self.lon.shape[0], dtype=bool),
            "barriers": np.zeros((0, 4), dtype=np.float64),
        }
        for name, default in defaults.items():
            if getattr(self, name) is None:
                object.__setattr__(self, name, default)

    @property
    def n_nodes(self) -> int:
        return int(self.lon.shape[0])

    @property
    def n_edges(self) -> int:
        return int(self.u.shape[0])

    @property
    def has_private(self) -> bool:
        return bool(self.edge_private.any())

    @cached_property
    def adjacency(self) -> sp.csr_matrix:
        """Symmetric CSR matrix of the public edges (both directions stored) for csgraph with directed=True."""
        if not self.has_private:
            return self.full_adjacency
        public = ~self.edge_private
        return symmetric_csr(n_nodes=self.n_nodes, u=self.u[public], v=self.v[public], weight=self.length_m[public])

    @cached_property
    def full_adjacency(self) -> sp.csr_matrix:
        """Every edge, private ones included (for connectivity, not for routing)."""
        return symmetric_csr(n_nodes=self.n_nodes, u=self.u, v=self.v, weight=self.length_m)

    @cached_property
    def component(self) -> np.ndarray:
        """Connected-component label of every node (private ways connect)."""
        _, labels = sp.csgraph.connected_components(self.full_adjacency, directed=False)
        return labels.astype(np.int64)

    @cached_property
    def component_size(self) -> np.ndarray:
        """Nodes in each component, indexed by label."""
        return np.bincount(self.component, minlength=1)

    @cached_property
    def main_component(self) -> int:
        return int(self.component_size.argmax()) if self.n_nodes else -1

    def components_summary(self, *, listed: int = 20) -> dict:
        """What the network record shows: every component kept, the largest ones with their vertex counts."""
        sizes = np.sort(self.component_size)[::-1]
        return {
            "count": int(sizes.shape[0]),
            "main_nodes": int(sizes[0]) if sizes.size else 0,
            "other_nodes": int(sizes[1:].sum()),
            "largest": [int(s) for s in sizes[:listed]],
            "dropped": [],
        }

    @cached_property
    def kdtree(self) -> cKDTree:
        # an unbalanced tree builds in half the time and answers street-network queries no slower
        return cKDTree(np.column_stack([self.x, self.y]), balanced_tree=False)

    def edge_tree(self, *, public_only: bool = False) -> tuple[shapely.STRtree, np.ndarray]:
        """An R-tree of the edges as straight segments (metric CRS) and the edge id of each tree item."""
        return self._public_edge_tree if public_only and self.has_private else self._edge_tree

    @cached_property
    def edge_vectors(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Start x, start y, dx, dy of every edge as a straight segment from u to v (metric CRS)."""
        ax, ay = self.x[self.u], self.y[self.u]
        return ax, ay, self.x[self.v] - ax, self.y[self.v] - ay

    def edge_cells(self, *, public_only: bool = False) -> EdgeCells:
        """The index every attachment queries (see `segments.EdgeCells`), built once per graph."""
        return self._public_edge_cells if public_only and self.has_private else self._edge_cells

    @cached_property
    def _edge_cells(self) -> EdgeCells:
        return self._cells_of(np.arange(self.n_edges))

    @cached_property
    def _public_edge_cells(self) -> EdgeCells:
        return self._cells_of(np.flatnonzero(~self.edge_private))

    def _cells_of(self, edges: np.ndarray) -> EdgeCells:
        ax, ay, dx, dy = (a[edges] for a in self.edge_vectors)
        return EdgeCells(ax, ay, dx, dy, edges)

    @cached_property
    def has_levels(self) -> bool:
        return bool(self.edge_level.any())

    @cached_property
    def _edge_tree(self) -> tuple[shapely.STRtree, np.ndarray]:
        return self._tree_of(np.arange(self.n_edges))

    @cached_property
    def _public_edge_tree(self) -> tuple[shapely.STRtree, np.ndarray]:
        return self._tree_of(np.flatnonzero(~self.edge_private))

    def _tree_of(self, edges: np.ndarray) -> tuple[shapely.STRtree, np.ndarray]:
        ends = np.stack([np.column_stack([self.x[self.u[edges]], self.y[self.u[edges]]]),
                         np.column_stack([self.x[self.v[edges]], self.y[self.v[edges]]])], axis=1)
        return shapely.STRtree(shapely.linestrings(ends)), edges

    @cached_property
    def barrier_segments(self) -> np.ndarray:
        """Barrier lines (fences, walls, rivers) in the metric CRS: rows x0, y0, x1, y1."""
        b = self.barriers
        x0, y0 = self.project(lon=b[:, 0], lat=b[:, 1])
        x1, y1 = self.project(lon=b[:, 2], lat=b[:, 3])
        return np.column_stack([x0, y0, x1, y1]).reshape(-1, 4)

    @cached_property
    def barrier_cells(self) -> CellMask:
        s = self.barrier_segments
        return CellMask(s[:, 0], s[:, 1], s[:, 2], s[:, 3])

    @cached_property
    def tail_adjacency(self) -> tuple[sp.csr_matrix, np.ndarray]:
        """Public edges, then a copy of the private part entered one way (see `access.nearest_from_attached`).

        Returns the matrix and the private nodes whose copies are rows ``n_nodes + i``."""
        private_nodes = np.unique(np.concatenate([self.u[self.edge_private], self.v[self.edge_private]]))
        n, m = self.n_nodes, private_nodes.shape[0]
        pu = n + np.searchsorted(private_nodes, self.u[self.edge_private])
        pv = n + np.searchsorted(private_nodes, self.v[self.edge_private])
        public = ~self.edge_private
        pw = self.length_m[self.edge_private]
        rows = np.concatenate([self.u[public], self.v[public], pu, pv, private_nodes])
        cols = np.concatenate([self.v[public], self.u[public], pv, pu, n + np.arange(m)])
        data = np.concatenate([self.length_m[public], self.length_m[public], pw, pw, np.zeros(m)])
        matrix = sp.csr_matrix((data, (rows, cols)), shape=(n + m, n + m))
        matrix.sort_indices()
        return matrix, private_nodes

    @cached_property
    def buckets(self) -> NodeBuckets:
        return NodeBuckets(self.x, self.y)

    @cached_property
    def degree(self) -> np.ndarray:
        return np.bincount(np.concatenate([self.u, self.v]), minlength=self.n_nodes)

    def project(self, *, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Project WGS-84 points into this graph's metric CRS."""
        return _transformer(self.crs).transform(np.asarray(lon, float), np.asarray(lat, float))

    def unproject(self, *, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _transformer(self.crs, inverse=True).transform(np.asarray(x, float), np.asarray(y, float))


def metric_crs_for(*, lon: np.ndarray, lat: np.ndarray) -> str:
    """UTM zone (WGS-84) of the centroid: scale error under 0.1 % within a district."""
    lon0 = float(np.mean(lon))
    lat0 = float(np.mean(lat))
    zone = int((lon0 + 180.0) // 6.0) % 60 + 1
    return f"EPSG:{(32600 if lat0 >= 0 else 32700) + zone}"


def make_graph(
    *,
    lon: np.ndarray,
    lat: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    length_m: np.ndarray | None = None,
    crs: str | None = None,
    node_ids: np.ndarray | None = None,
    edge_private: np.ndarray | None = None,
    edge_level: np.ndarray | None = None,
    gate: np.ndarray | None = None,
    barriers: np.ndarray | None = None,
) -> WalkGraph:
    """Build a graph; lengths default to projected straight-line metres.

    Self-loops are dropped and parallel edges keep their minimum length (a CSR matrix built
    from duplicates would sum them).
    """
    lon = np.ascontiguousarray(lon, dtype=np.float64)
    lat = np.ascontiguousarray(lat, dtype=np.float64)
    crs = crs or metric_crs_for(lon=lon, lat=lat)
    x, y = _transformer(crs).transform(lon, lat)
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    if length_m is None:
        length_m = np.hypot(x[u] - x[v], y[u] - y[v])
    u, v, length_m, pick = dedupe_edges(n_nodes=lon.shape[0], u=u, v=v, length_m=length_m)
    if edge_private is not None:
        edge_private = np.asarray(edge_private, dtype=bool)[pick]
    if edge_level is not None:
        edge_level = np.asarray(edge_level, dtype=np.int8)[pick]
    if node_ids is None:
        node_ids = np.arange(lon.shape[0], dtype=np.int64)
    return WalkGraph(
        lon=lon,
        lat=lat,
        x=np.asarray(x, np.float64),
        y=np.asarray(y, np.float64),
        u=u,
        v=v,
        length_m=length_m,
        crs=crs,
        node_ids=np.asarray(node_ids, dtype=np.int64),
        edge_private=edge_private,  # type: ignore[arg-type]  # None: the default is filled in
        edge_level=edge_level,  # type: ignore[arg-type]
        gate=None if gate is None else np.asarray(gate, dtype=bool),  # type: ignore[arg-type]
        barriers=None if barriers is None else np.asarray(barriers, dtype=np.float64).reshape(-1, 4),  # type: ignore[arg-type]
    )


def dedupe_edges(
    *, n_nodes: int, u: np.ndarray, v: np.ndarray, length_m: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Orient u < v, drop self-loops, keep the shortest of parallel edges.

    Also returns the index of the kept input edge: the shortest of its parallels (the first of equal ones), so
    that its attributes go with the length kept."""
    length_m = np.asarray(length_m, dtype=np.float64)
    if u.shape != v.shape or u.shape != length_m.shape:
        raise ValueError("u, v and length_m must have the same shape")
    if u.size and (min(u.min(), v.min()) < 0 or max(u.max(), v.max()) >= n_nodes):
        raise ValueError("edge endpoint out of range")
    if np.any(~np.isfinite(length_m)) or np.any(length_m < 0):
        raise ValueError("edge lengths must be finite and non-negative")
    lo = np.minimum(u, v)
    hi = np.maximum(u, v)
    keep = lo != hi
    index = np.flatnonzero(keep)
    lo, hi, length_m = lo[keep], hi[keep], length_m[keep]
    # one packed integer sort (stable: parallels in input order), then the first shortest of each run
    key = lo * np.int64(n_nodes) + hi
    # already sorted and unique (every saved graph): one pass instead of a sort
    order = np.arange(key.shape[0]) if bool((key[1:] > key[:-1]).all()) else sorted_order(key)
    key = key[order]
    first = np.ones(key.shape[0], dtype=bool)
    first[1:] = key[1:] != key[:-1]
    if first.all():
        pick = order
        shortest = length_m[order]
    else:
        starts = np.flatnonzero(first)
        sorted_length = length_m[order]
        shortest = np.minimum.reduceat(sorted_length, starts)
        size = np.diff(np.append(starts, key.shape[0]))
        at_min = sorted_length == np.repeat(shortest, size)
        pick = order[np.minimum.reduceat(np.where(at_min, np.arange(key.shape[0]), key.shape[0]), starts)]
    index_dtype = np.int32 if n_nodes < 2**31 else np.int64
    return lo[pick].astype(index_dtype), hi[pick].astype(index_dtype), shortest, index[pick]


def symmetric_csr(*, n_nodes: int, u: np.ndarray, v: np.ndarray, weight: np.ndarray) -> sp.csr_matrix:
    rows = np.concatenate([u, v])
    cols = np.concatenate([v, u])
    data = np.concatenate([weight, weight]).astype(np.float64)
    matrix = sp.csr_matrix((data, (rows, cols)), shape=(n_nodes, n_nodes))
    matrix.sort_indices()
    return matrix


def save_graph(graph: WalkGraph, *, path: str | os.PathLike[str], compress: bool = False) -> None:
    """Write one .npz file; uncompressed by default because it loads several times faster."""
    writer = np.savez_compressed if compress else np.savez
    with open(path, "wb") as handle:
        writer(
            handle,
            format_name=np.array(FORMAT_NAME),
            format_version=np.array(FORMAT_VERSION, dtype=np.int64),
            crs=np.array(graph.crs),
            lon=graph.lon,
            lat=graph.lat,
            u=graph.u,
            v=graph.v,
            length_m=graph.length_m,
            node_ids=graph.node_ids,
            edge_private=graph.edge_private,
            edge_level=graph.edge_level,
            gate=graph.gate,
            barriers=graph.barriers,
        )


def load_graph(*, path: str | os.PathLike[str]) -> WalkGraph:
    """Read a file written by save_graph; projected coordinates are recomputed from lon/lat."""
    with np.load(path, allow_pickle=False) as data:
        name = str(data["format_name"]) if "format_name" in data.files else None
        if name != FORMAT_NAME:
            raise GraphFormatError(f"{os.fspath(path)} is not a {FORMAT_NAME} file")
        version = int(data["format_version"])
        if version not in READABLE_VERSIONS:
            raise GraphFormatError(
                f"{os.fspath(path)} has walk graph format version {version}; "
                f"this code reads version {FORMAT_VERSION}: rebuild the graph"
            )
        crs = str(data["crs"])
        lon, lat = data["lon"], data["lat"]
        x, y = _transformer(crs).transform(lon, lat)
        return WalkGraph(
            lon=lon,
            lat=lat,
            x=np.asarray(x, np.float64),
            y=np.asarray(y, np.float64),
            u=data["u"],
            v=data["v"],
            length_m=data["length_m"],
            crs=crs,
            node_ids=data["node_ids"],
            **{k: data[k] for k in ("edge_private", "edge_level", "gate", "barriers") if k in data.files},
        )


def largest_component(graph: WalkGraph) -> WalkGraph:
    """The subgraph of the largest connected component, nodes renumbered in their old order."""
    _, labels = sp.csgraph.connected_components(graph.adjacency, directed=False)
    keep = labels == np.bincount(labels).argmax()
    return subgraph(graph, keep=keep)


def subgraph(graph: WalkGraph, *, keep: np.ndarray) -> WalkGraph:
    keep = np.asarray(keep, dtype=bool)
    new_index = np.full(graph.n_nodes, -1, dtype=np.int64)
    new_index[keep] = np.arange(int(keep.sum()))
    edge_keep = keep[graph.u] & keep[graph.v]
    return WalkGraph(
        lon=graph.lon[keep],
        lat=graph.lat[keep],
        x=graph.x[keep],
        y=graph.y[keep],
        u=new_index[graph.u[edge_keep]].astype(graph.u.dtype),
        v=new_index[graph.v[edge_keep]].astype(graph.v.dtype),
        length_m=graph.length_m[edge_keep],
        crs=graph.crs,
        node_ids=graph.node_ids[keep],
        edge_private=graph.edge_private[edge_keep],
        edge_level=graph.edge_level[edge_keep],
        gate=graph.gate[keep],
        barriers=graph.barriers,
    )


_TRANSFORMERS: dict[tuple[str, bool], Transformer] = {}


def _transformer(crs: str, *, inverse: bool = False) -> Transformer:
    key = (crs, inverse)
    if key not in _TRANSFORMERS:
        wgs84, metric = CRS.from_epsg(4326), CRS.from_user_input(crs)
        source, target = (metric, wgs84) if inverse else (wgs84, metric)
        _TRANSFORMERS[key] = Transformer.from_crs(source, target, always_xy=True)
    return _TRANSFORMERS[key]
