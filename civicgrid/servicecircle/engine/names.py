"""Street names of an OSM file: the named public walkable ways as lines, for map labels (the walk graph itself
keeps no names)."""

from __future__ import annotations

import os

import osmium

from .osm import _located_pieces, open_osm
from .rules import WalkRules, classify


def street_names_from_osm(*, path: str | os.PathLike[str], rules: WalkRules | None = None) -> list[dict]:
    """[{"name": …, "coordinates": [[lon, lat], …]}] of every named, walkable, public way (one per located piece);
    the Chinese name (`name:zh`) is preferred when the way has one."""
    rules = rules or WalkRules()
    found = []
    processor = osmium.FileProcessor(open_osm(path), osmium.osm.WAY | osmium.osm.NODE).with_locations().with_filter(
        osmium.filter.KeyFilter("highway"))
    for way in processor:
        if way.is_node():  # type: ignore[union-attr]  # nodes are read for their locations only
            continue
        tags = way.tags
        name = tags.get("name:zh") or tags.get("name")
        kind = classify(tags, rules) if name else None  # type: ignore[arg-type]  # TagList is a Mapping here
        if kind is None or kind.private or kind.area:
            continue
        for piece in _located_pieces(way.nodes):  # type: ignore[union-attr]  # a way
            if len(piece) >= 2:
                found.append({"name": name, "coordinates": [[round(x, 7), round(y, 7)] for _, x, y in piece]})
    return found
