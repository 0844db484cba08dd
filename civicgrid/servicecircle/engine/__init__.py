"""Street-network accessibility for the 15-minute service circle: plain numpy/scipy/shapely, no Django."""

from .access import (
    AttachedNearest,
    Category,
    Nearest,
    attached_distance,
    nearest_by_attached_category,
    nearest_by_category,
    nearest_facility,
    nearest_from_attached,
)
from .attach import Attached, at_nodes, attach_points, attach_xy, concat
from .compounds import attach_compounds, nearest_by_place
from .coverage import GroupCoverage, PlaceCoverage, group_coverage, place_coverage, uncovered_population
from .graph import (
    FORMAT_VERSION,
    GraphFormatError,
    WalkGraph,
    largest_component,
    load_graph,
    make_graph,
    metric_crs_for,
    save_graph,
)
from .isochrone import WALK_SPEED_M_S, isochrones, isochrones_by_distance
from .newcompound import CompoundCheck, check_new_compound
from .reach import Reach, reach_from_sources
from .rules import WalkRules
from .simplify import contract_degree2
from .siting import SitingResult, coverage_from_costs, coverage_from_network, exact_mclp, greedy_mclp
from .snap import Snapped, snap_points, snap_xy
from .synthetic import synthetic_street_grid

__all__ = [
    "attach_compounds",
    "nearest_by_place",
    "Attached",
    "AttachedNearest",
    "WalkRules",
    "at_nodes",
    "attach_points",
    "concat",
    "attach_xy",
    "attached_distance",
    "nearest_from_attached",
    "nearest_by_attached_category",
    "FORMAT_VERSION",
    "WALK_SPEED_M_S",
    "Category",
    "CompoundCheck",
    "GraphFormatError",
    "GroupCoverage",
    "Nearest",
    "PlaceCoverage",
    "Reach",
    "SitingResult",
    "Snapped",
    "WalkGraph",
    "check_new_compound",
    "contract_degree2",
    "coverage_from_costs",
    "coverage_from_network",
    "exact_mclp",
    "greedy_mclp",
    "group_coverage",
    "isochrones",
    "isochrones_by_distance",
    "largest_component",
    "load_graph",
    "make_graph",
    "metric_crs_for",
    "nearest_by_category",
    "nearest_facility",
    "place_coverage",
    "reach_from_sources",
    "save_graph",
    "snap_points",
    "snap_xy",
    "synthetic_street_grid",
    "uncovered_population",
]
