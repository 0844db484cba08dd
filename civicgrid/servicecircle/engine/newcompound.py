"""Which categories a new compound at a given location would lack."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .access import Nearest
from .graph import WalkGraph
from .snap import DEFAULT_SNAP_LIMIT_M, snap_points


@dataclass(frozen=True)
class CompoundCheck:
    snapped: bool
    snap_distance_m: float
    distance_m: dict[str, float]
    missing: tuple[str, ...]
    population_affected: float


def check_new_compound(
    *,
    graph: WalkGraph,
    lon: float,
    lat: float,
    population: float,
    nearest: Mapping[str, Nearest],
    snap_limit_m: float = DEFAULT_SNAP_LIMIT_M,
) -> CompoundCheck:
    """Uses the precomputed nearest-facility arrays: one snap and one lookup per category."""
    snapped = snap_points(graph=graph, lon=np.array([lon]), lat=np.array([lat]), limit_m=snap_limit_m)
    offset = float(snapped.distance_m[0])
    if not snapped.ok[0]:
        return CompoundCheck(False, offset, {c: float("inf") for c in nearest}, tuple(nearest), float(population))
    node = int(snapped.node[0])
    distance = {c: float(n.distance_m[node]) + offset for c, n in nearest.items()}
    missing = tuple(c for c, d in distance.items() if d > nearest[c].limit_m)
    return CompoundCheck(True, offset, distance, missing, float(population) if missing else 0.0)
