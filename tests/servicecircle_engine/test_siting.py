import csv

import numpy as np
import pytest
import scipy.sparse as sp

from civicgrid.servicecircle.engine import (
    at_nodes,
    coverage_from_costs,
    coverage_from_network,
    exact_mclp,
    greedy_mclp,
    synthetic_street_grid,
)
from civicgrid.servicecircle.engine.reach import reach_from_sources

from .conftest import DATA


def _csv(name):
    with open(DATA / name, newline="") as handle:
        return list(csv.DictReader(handle))


def _san_francisco():
    rows = _csv("SF_network_distance_candidateStore_16_censusTract_205_new.csv")
    tracts = sorted({r["DestinationName"] for r in rows})
    stores = sorted({r["name"] for r in rows})  # spopt's pivot_table column order
    cost = np.full((len(tracts), len(stores)), np.inf)
    t_index = {t: i for i, t in enumerate(tracts)}
    s_index = {s: j for j, s in enumerate(stores)}
    for r in rows:
        cost[t_index[r["DestinationName"]], s_index[r["name"]]] = float(r["distance"])
    population = {r["NAME"]: float(r["POP2000"]) for r in _csv("SF_demand_205_centroid_uniform_weight.csv")}
    return cost, np.array([population[t] for t in tracts])


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_exact_reproduces_spopt_san_francisco(solver):
    cost, population = _san_francisco()
    coverage = coverage_from_costs(cost=cost, radius=5000.0)
    result = exact_mclp(coverage=coverage, weight=population, p=4, solver=solver)
    assert sorted(result.sites.tolist()) == [1, 2, 5, 10]
    assert result.n_uncovered == 21
    assert result.covered_count_pct == pytest.approx(89.75609756097561)
    assert result.gains.sum() == pytest.approx(result.covered_weight)
    assert (np.diff(result.gains) <= 0).all()


def test_greedy_within_one_point_on_san_francisco():
    cost, population = _san_francisco()
    coverage = coverage_from_costs(cost=cost, radius=5000.0)
    exact = exact_mclp(coverage=coverage, weight=population, p=4)
    greedy = greedy_mclp(coverage=coverage, weight=population, p=4)
    assert len(greedy.sites) == 4
    assert exact.covered_pct - 1.0 <= greedy.covered_pct <= exact.covered_pct + 1e-9


def test_existing_coverage_counts_for_nothing():
    coverage = sp.csr_matrix(np.array([[1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1]], dtype=bool))
    weight = np.array([10.0, 10.0, 10.0, 8.0])
    assert greedy_mclp(coverage=coverage, weight=weight, p=1).sites.tolist() == [0]
    already = np.array([True, True, False, False])
    for result in (
        greedy_mclp(coverage=coverage, weight=weight, p=1, already_covered=already),
        exact_mclp(coverage=coverage, weight=weight, p=1, already_covered=already),
    ):
        assert result.sites.tolist() == [1]
        assert result.new_weight == 10.0
        assert result.covered_weight == 30.0


def test_greedy_lazy_matches_plain_greedy():
    rng = np.random.default_rng(2)
    coverage = sp.random(400, 60, density=0.05, random_state=3, format="csc").astype(bool)
    weight = rng.integers(1, 100, 400).astype(float)
    lazy = greedy_mclp(coverage=coverage, weight=weight, p=8)
    covered = np.zeros(400, bool)
    dense = coverage.toarray()
    for site, gain in zip(lazy.sites, lazy.gains):
        gains = (dense & ~covered[:, None]).T @ weight
        assert gain == gains.max() and gains[site] == gains.max()
        covered |= dense[:, site]


def test_coverage_from_network_matches_all_pairs():
    graph = synthetic_street_grid(n_nodes=900, seed=4)
    rng = np.random.default_rng(0)
    demand = rng.choice(graph.n_nodes, 200)
    demand_offset = rng.uniform(0, 40, 200)
    candidates = rng.choice(graph.n_nodes, 30)
    candidate_offset = rng.uniform(0, 40, 30)
    ours = coverage_from_network(
        graph=graph,
        demand=at_nodes(graph, demand, offset_m=demand_offset),
        candidates=at_nodes(graph, candidates, offset_m=candidate_offset),
        radius_m=400.0,
    ).toarray()
    from scipy.sparse.csgraph import dijkstra

    full = dijkstra(graph.adjacency, indices=candidates)[:, demand].T
    expected = full + demand_offset[:, None] + candidate_offset[None, :] <= 400.0
    np.testing.assert_array_equal(ours, expected)
    reach = reach_from_sources(graph=graph, sources=at_nodes(graph, candidates), limit_m=400.0)
    assert reach.n_sources == 30


def test_spopt_agrees_on_a_random_instance():
    spopt_locate = pytest.importorskip("spopt.locate")
    pulp = pytest.importorskip("pulp")
    rng = np.random.default_rng(9)
    cost = rng.uniform(0, 10, (120, 25))
    weight = rng.integers(1, 50, 120).astype(float)
    model = spopt_locate.MCLP.from_cost_matrix(cost, weight, 2.0, 5).solve(pulp.PULP_CBC_CMD(msg=False))
    theirs = weight[(cost[:, [j for j in range(25) if model.fac_vars[j].value() > 0.5]] <= 2.0).any(1)].sum()
    ours = exact_mclp(coverage=coverage_from_costs(cost=cost, radius=2.0), weight=weight, p=5)
    assert ours.covered_weight == pytest.approx(theirs)
    assert ours.n_uncovered == model.n_cli_uncov
