"""One test per walking rule, on real ways of the Haidian OSM extract (the module README lists the rules)."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from civicgrid.servicecircle.engine import WalkRules, attach_points
from civicgrid.servicecircle.engine.osm import graph_from_osm

from .conftest import DATA


@pytest.fixture(scope="module")
def ways():
    root = ET.parse(DATA / "haidian_cau.osm").getroot()
    return [({t.get("k"): t.get("v") for t in w.iter("tag")}, [int(n.get("ref")) for n in w.iter("nd")])
            for w in root.iter("way")]


def _edges(graph):
    ids = graph.node_ids
    return {frozenset((int(ids[a]), int(ids[b]))) for a, b in zip(graph.u, graph.v, strict=True)}


def _walked(graph, refs):
    return all(frozenset(p) in _edges(graph) for p in zip(refs, refs[1:], strict=False))


def _first(ways, **wanted):
    for tags, refs in ways:
        if all(tags.get(k) == v if v is not None else k not in tags for k, v in wanted.items()):
            return refs
    pytest.skip(f"no way with {wanted} in the extract")


def test_trunk_and_primary_without_foot_tag_are_walked_by_default(cau, ways):
    assert _walked(cau, _first(ways, highway="primary", foot=None, sidewalk=None))
    strict = graph_from_osm(path=DATA / "haidian_cau.osm", rules=WalkRules(sidewalk_assumed=frozenset()))
    assert not _walked(strict, _first(ways, highway="primary", foot=None, sidewalk=None))


def test_cycleway_walked_only_with_foot_yes_or_designated(cau, ways):
    assert _walked(cau, _first(ways, highway="cycleway", foot="designated"))
    refs = _first(ways, highway="cycleway", foot=None)
    assert not _walked(cau, refs)
    assert _walked(graph_from_osm(path=DATA / "haidian_cau.osm", rules=WalkRules(cycleway_without_foot=True)), refs)


def test_steps_are_walked_unless_the_district_says_no(cau, ways):
    refs = _first(ways, highway="steps")
    assert _walked(cau, refs)
    assert not _walked(graph_from_osm(path=DATA / "haidian_cau.osm", rules=WalkRules(steps=False)), refs)


def test_foot_no_is_never_walked(cau, ways):
    for tags, refs in ways:
        if tags.get("foot") == "no":
            assert not _walked(cau, refs)


def test_pedestrian_area_is_walked_across():
    # an L-shaped plaza (hand-written: the extract has none): chords inside it are walked, not the one
    # that would cut across the missing corner
    graph = graph_from_osm(path=DATA / "plaza.osm")
    edges = _edges(graph)
    assert frozenset((1, 3)) in edges and frozenset((2, 6)) in edges
    assert frozenset((6, 4)) not in edges and frozenset((1, 4)) not in edges


def test_bridges_carry_their_level_and_homes_prefer_the_ground(cau, ways):
    assert (cau.edge_level == 1).sum() > 0 and (cau.edge_level == -1).sum() > 0
    bridge = np.flatnonzero(cau.edge_level == 1)[0]
    mid_lon = (cau.lon[cau.u[bridge]] + cau.lon[cau.v[bridge]]) / 2
    mid_lat = (cau.lat[cau.u[bridge]] + cau.lat[cau.v[bridge]]) / 2
    placed = attach_points(graph=cau, lon=np.array([mid_lon]), lat=np.array([mid_lat]), limit_m=150)
    assert placed.ok[0] and placed.level[0] == 0 and placed.edge[0] != bridge


def test_rules_overrides_are_checked():
    with pytest.raises(ValueError, match="unknown walking rule"):
        WalkRules.from_dict({"stairs": False})
    assert WalkRules.from_dict({"walkable": ["footway"]}).walkable == frozenset({"footway"})
