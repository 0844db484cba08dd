"""Maximal covering location problem (MCLP): choose p sites that newly cover the most demand weight.

``coverage`` is a sparse boolean matrix, demand points × candidate sites. Demand already covered by
existing facilities (``already_covered``) counts for nothing, so only newly covered weight is
maximised. Greedy with lazy evaluation guarantees at least (1 - 1/e) of the optimum and in practice
is within a fraction of a percent; the exact model is an integer program solved by HiGHS or CBC.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .attach import Attached
from .graph import WalkGraph
from .reach import reach_from_sources


@dataclass(frozen=True)
class SitingResult:
    """``sites`` in order of their marginal ``gains`` (weight newly covered by adding each in turn).

    ``covered_weight`` includes demand that existing facilities already cover; the percentages are
    of the total weight and of the number of demand points.
    """

    sites: np.ndarray
    gains: np.ndarray
    covered: np.ndarray
    covered_weight: float
    new_weight: float
    covered_pct: float
    covered_count_pct: float
    n_uncovered: int


def coverage_from_costs(*, cost: np.ndarray, radius: float) -> sp.csr_matrix:
    """Demand × candidate boolean coverage from a dense cost matrix."""
    return sp.csr_matrix(np.asarray(cost) <= radius)


def coverage_from_network(
    *,
    graph: WalkGraph,
    demand: Attached,
    candidates: Attached,
    radius_m: float,
    demand_owner: np.ndarray | None = None,
    n_demand: int | None = None,
) -> sp.csr_matrix:
    """Demand × candidate coverage where the walk (both offsets, both streets' split lengths) <= radius_m.

    Demand and candidates are attached points (`attach`); with ``demand_owner`` several demand rows (a compound's
    gates or outline points) make one demand point, covered when any of its rows is. A demand point and a
    candidate on the same street also walk straight along it."""
    owner = np.arange(demand.u.shape[0]) if demand_owner is None else np.asarray(demand_owner, dtype=np.int64)
    n_rows = int(n_demand if n_demand is not None else owner.max(initial=-1) + 1)
    reach = reach_from_sources(graph=graph, sources=candidates, limit_m=radius_m)
    source = np.repeat(np.arange(reach.n_sources), np.diff(reach.indptr))
    # shift by one metre so a zero distance is not an implicit (absent) sparse entry
    by_node = sp.csc_matrix((reach.distance_m + 1.0, (source, reach.node)), shape=(reach.n_sources, graph.n_nodes))
    ok = np.flatnonzero(demand.ok)
    pairs: list[tuple[np.ndarray, np.ndarray]] = []
    for end, along in ((demand.u, demand.along_u_m), (demand.v, demand.along_v_m)):
        per = by_node[:, end[ok]].tocoo()
        walked = per.data - 1.0 + along[ok][per.col] + demand.offset_m[ok][per.col]
        keep = walked <= radius_m
        pairs.append((ok[per.col[keep]], per.row[keep]))
    pairs.append(_same_street(demand, candidates, radius_m))
    rows = owner[np.concatenate([p[0] for p in pairs])]
    cols = np.concatenate([p[1] for p in pairs])
    key = np.unique(rows * np.int64(max(reach.n_sources, 1)) + cols)
    n_cols = max(reach.n_sources, 1)
    return sp.csr_matrix(
        (np.ones(key.shape[0], dtype=bool), (key // n_cols, key % n_cols)), shape=(n_rows, reach.n_sources)
    )


def _same_street(demand: Attached, candidates: Attached, radius_m: float) -> tuple[np.ndarray, np.ndarray]:
    """(demand row, candidate) pairs on one street within the radius walking straight along it."""
    use = np.flatnonzero(candidates.ok & (candidates.edge >= 0))
    use = use[np.argsort(candidates.edge[use], kind="stable")]
    edges = candidates.edge[use]
    lo = np.searchsorted(edges, demand.edge, side="left")
    hi = np.searchsorted(edges, demand.edge, side="right")
    rows, cols = [], []
    for i in np.flatnonzero((hi > lo) & demand.ok & (demand.edge >= 0)):
        c = use[lo[i] : hi[i]]
        walked = np.abs(candidates.along_u_m[c] - demand.along_u_m[i]) + candidates.offset_m[c] + demand.offset_m[i]
        c = c[walked <= radius_m]
        rows.append(np.full(c.shape[0], i))
        cols.append(c)
    if not rows:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(rows), np.concatenate(cols)


def greedy_mclp(
    *, coverage: sp.spmatrix, weight: np.ndarray, p: int, already_covered: np.ndarray | None = None
) -> SitingResult:
    """Lazy greedy (CELF): stale gains stay in a heap and are refreshed only when they reach the top.

    Stops early when no remaining site adds coverage. Ties go to the lower candidate index.
    """
    columns = sp.csc_matrix(coverage, dtype=bool)
    weight = np.asarray(weight, dtype=np.float64)
    covered = _initial(already_covered, weight.shape[0])
    gains0 = columns.T @ np.where(covered, 0.0, weight)
    heap = [(-g, j) for j, g in enumerate(gains0) if g > 0]
    heapq.heapify(heap)
    sites: list[int] = []
    gains: list[float] = []
    while heap and len(sites) < p:
        _, j = heapq.heappop(heap)
        rows = columns.indices[columns.indptr[j] : columns.indptr[j + 1]]
        fresh = float(weight[rows][~covered[rows]].sum())
        if fresh <= 0:
            continue
        if heap and fresh < -heap[0][0]:
            heapq.heappush(heap, (-fresh, j))
            continue
        sites.append(j)
        gains.append(fresh)
        covered[rows] = True
    return _result(sites=sites, gains=gains, covered=covered, weight=weight, already_covered=already_covered)


def exact_mclp(
    *,
    coverage: sp.spmatrix,
    weight: np.ndarray,
    p: int,
    already_covered: np.ndarray | None = None,
    solver: str = "highs",
    time_limit_s: float | None = None,
) -> SitingResult:
    """Integer program: max sum w_i y_i, y_i <= sum_{j covers i} x_j, sum x_j = p, x and y binary."""
    matrix = sp.csr_matrix(coverage, dtype=bool)
    weight = np.asarray(weight, dtype=np.float64)
    covered0 = _initial(already_covered, weight.shape[0])
    open_rows = np.flatnonzero(~covered0 & (np.diff(matrix.indptr) > 0) & (weight > 0))
    sub = matrix[open_rows]
    n_sites = matrix.shape[1]
    p = min(p, n_sites)
    if solver == "highs":
        chosen = _solve_highs(sub, weight[open_rows], p, time_limit_s)
    elif solver == "cbc":
        chosen = _solve_cbc(sub, weight[open_rows], p, time_limit_s)
    else:
        raise ValueError(f"unknown solver {solver!r}: use 'highs' or 'cbc'")
    return _ordered_by_gain(chosen=chosen, matrix=matrix, weight=weight, already_covered=already_covered)


def _solve_highs(sub: sp.csr_matrix, w: np.ndarray, p: int, time_limit_s: float | None) -> np.ndarray:
    import highspy

    n_sites, n_dem = sub.shape[1], sub.shape[0]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if time_limit_s is not None:
        h.setOptionValue("time_limit", float(time_limit_s))
    n_vars = n_sites + n_dem
    h.addVars(n_vars, np.zeros(n_vars), np.ones(n_vars))
    h.changeColsCost(n_vars, np.arange(n_vars, dtype=np.int32), np.concatenate([np.zeros(n_sites), -w]))
    h.changeColsIntegrality(n_vars, np.arange(n_vars, dtype=np.int32), np.full(n_vars, highspy.HighsVarType.kInteger))
    # row i: y_i - sum_j x_j <= 0
    starts = (sub.indptr[:-1] + np.arange(n_dem)).astype(np.int32)
    index = np.empty(sub.nnz + n_dem, dtype=np.int32)
    value = np.empty(sub.nnz + n_dem)
    head = starts
    index[head] = n_sites + np.arange(n_dem)
    value[head] = 1.0
    body = np.ones(index.shape[0], dtype=bool)
    body[head] = False
    index[body] = sub.indices
    value[body] = -1.0
    h.addRows(n_dem, np.full(n_dem, -np.inf), np.zeros(n_dem), index.shape[0], starts, index, value)
    h.addRow(p, p, n_sites, np.arange(n_sites, dtype=np.int32), np.ones(n_sites))
    h.run()
    x = np.asarray(h.getSolution().col_value[:n_sites])
    return np.flatnonzero(x > 0.5)


def _solve_cbc(sub: sp.csr_matrix, w: np.ndarray, p: int, time_limit_s: float | None) -> np.ndarray:
    import pulp

    n_sites = sub.shape[1]
    problem = pulp.LpProblem("mclp", pulp.LpMaximize)
    x = [pulp.LpVariable(f"x{j}", cat="Binary") for j in range(n_sites)]
    y = [pulp.LpVariable(f"y{i}", cat="Binary") for i in range(sub.shape[0])]
    problem += pulp.lpDot(w.tolist(), y)
    for i in range(sub.shape[0]):
        problem += y[i] <= pulp.lpSum(x[j] for j in sub.indices[sub.indptr[i] : sub.indptr[i + 1]])
    problem += pulp.lpSum(x) == p
    problem.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit_s))
    return np.array([j for j in range(n_sites) if (x[j].value() or 0) > 0.5], dtype=np.int64)


def _ordered_by_gain(
    *, chosen: np.ndarray, matrix: sp.csr_matrix, weight: np.ndarray, already_covered: np.ndarray | None
) -> SitingResult:
    """Report a fixed set of sites in greedy order of their marginal gains."""
    columns = sp.csc_matrix(matrix)
    covered = _initial(already_covered, weight.shape[0])
    remaining = [int(j) for j in chosen]
    sites: list[int] = []
    gains: list[float] = []
    while remaining:
        fresh = [float(weight[r][~covered[r]].sum()) for r in (_rows(columns, j) for j in remaining)]
        best = int(np.argmax(fresh))
        j = remaining.pop(best)
        sites.append(j)
        gains.append(fresh[best])
        covered[_rows(columns, j)] = True
    return _result(sites=sites, gains=gains, covered=covered, weight=weight, already_covered=already_covered)


def _rows(columns: sp.csc_matrix, j: int) -> np.ndarray:
    return columns.indices[columns.indptr[j] : columns.indptr[j + 1]]


def _initial(already_covered: np.ndarray | None, n: int) -> np.ndarray:
    if already_covered is None:
        return np.zeros(n, dtype=bool)
    covered = np.array(already_covered, dtype=bool)
    if covered.shape != (n,):
        raise ValueError("already_covered must have one entry per demand point")
    return covered


def _result(
    *,
    sites: list[int],
    gains: list[float],
    covered: np.ndarray,
    weight: np.ndarray,
    already_covered: np.ndarray | None,
) -> SitingResult:
    total = float(weight.sum())
    covered_weight = float(weight[covered].sum())
    return SitingResult(
        sites=np.asarray(sites, dtype=np.int64),
        gains=np.asarray(gains, dtype=np.float64),
        covered=covered,
        covered_weight=covered_weight,
        new_weight=float(np.sum(gains)),
        covered_pct=100.0 * covered_weight / total if total > 0 else 0.0,
        covered_count_pct=100.0 * float(covered.mean()) if covered.size else 0.0,
        n_uncovered=int((~covered).sum()),
    )
