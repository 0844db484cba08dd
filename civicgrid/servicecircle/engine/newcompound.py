"""Which categories a new compound at a given location would lack."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import shapely

from .access import AttachedNearest, attached_distance
from .compounds import attach_compounds, nearest_by_place
from .graph import WalkGraph
from .snap import DEFAULT_SNAP_LIMIT_M


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
    nearest: Mapping[str, AttachedNearest],
    snap_limit_m: float = DEFAULT_SNAP_LIMIT_M,
    outline: shapely.Geometry | None = None,
    gates: np.ndarray | None = None,
) -> CompoundCheck:
    """The compound enters the network as in a coverage run (`compounds.attach_compounds`: recorded gates, OSM
    gates, its outline, else its point on the street it stands on); one lookup per category."""
    rows, owner, _ = attach_compounds(graph=graph, lon=np.array([lon]), lat=np.array([lat]), outlines=[outline],
                                      limit_m=snap_limit_m, gates=None if gates is None else [gates])
    entry_offset, _row = nearest_by_place(np.where(rows.ok, rows.offset_m, np.inf), owner, 1)
    offset = float(entry_offset[0])
    if not np.isfinite(offset):
        far = attach_compounds(graph=graph, lon=np.array([lon]), lat=np.array([lat]), outlines=[None],
                               limit_m=np.inf)[0]
        return CompoundCheck(False, float(far.offset_m[0]), {c: float("inf") for c in nearest}, tuple(nearest),
                             float(population))
    distance = {}
    for code, near in nearest.items():
        per_row, _facility = attached_distance(places=rows, nearest=near)
        distance[code] = float(nearest_by_place(per_row, owner, 1)[0][0])
    missing = tuple(c for c, d in distance.items() if d > nearest[c].nearest.limit_m)
    return CompoundCheck(True, offset, distance, missing, float(population) if missing else 0.0)
