"""Coverage of places by facility categories, and per-community aggregates weighted by population.

A place is covered by a category when
    place snap distance + network distance to the nearest facility (facility snap included) <= limit.

Community score = sum over categories c of covered_population_c / (population * number_of_categories),
i.e. the population-weighted mean share of categories within reach (1.0: everyone reaches everything).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .access import Nearest


@dataclass(frozen=True)
class PlaceCoverage:
    """``distance_m`` and ``covered`` have shape (places, categories) in ``categories`` order."""

    categories: tuple[str, ...]
    distance_m: np.ndarray
    covered: np.ndarray


@dataclass(frozen=True)
class GroupCoverage:
    """Per group (e.g. community) and category; rows follow ``groups``."""

    groups: np.ndarray
    categories: tuple[str, ...]
    population: np.ndarray
    covered_population: np.ndarray
    uncovered_population: np.ndarray
    score: np.ndarray


def place_coverage(
    *, place_nodes: np.ndarray, place_offset_m: np.ndarray, nearest: Mapping[str, Nearest]
) -> PlaceCoverage:
    """Places with node -1 (snap rejected) are reported as not covered, at infinite distance."""
    nodes = np.asarray(place_nodes, dtype=np.int64)
    offset = np.asarray(place_offset_m, dtype=np.float64)
    valid = nodes >= 0
    categories = tuple(nearest)
    distance = np.full((nodes.shape[0], len(categories)), np.inf)
    limits = np.array([nearest[c].limit_m for c in categories])
    for j, name in enumerate(categories):
        distance[valid, j] = nearest[name].distance_m[nodes[valid]] + offset[valid]
    return PlaceCoverage(categories=categories, distance_m=distance, covered=distance <= limits[None, :])


def group_coverage(*, coverage: PlaceCoverage, group: np.ndarray, population: np.ndarray) -> GroupCoverage:
    groups, index = np.unique(np.asarray(group), return_inverse=True)
    weight = np.asarray(population, dtype=np.float64)
    total = np.bincount(index, weights=weight, minlength=groups.shape[0])
    covered = np.stack(
        [
            np.bincount(index, weights=weight * coverage.covered[:, j], minlength=groups.shape[0])
            for j in range(len(coverage.categories))
        ],
        axis=1,
    ).reshape(groups.shape[0], len(coverage.categories))
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(total > 0, covered.sum(axis=1) / (total * max(len(coverage.categories), 1)), np.nan)
    return GroupCoverage(
        groups=groups,
        categories=coverage.categories,
        population=total,
        covered_population=covered,
        uncovered_population=total[:, None] - covered,
        score=score,
    )


def uncovered_population(*, coverage: PlaceCoverage, population: np.ndarray) -> dict[str, float]:
    weight = np.asarray(population, dtype=np.float64)
    return {c: float(weight[~coverage.covered[:, j]].sum()) for j, c in enumerate(coverage.categories)}
