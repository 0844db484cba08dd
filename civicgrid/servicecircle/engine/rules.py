"""Which OSM ways a pedestrian may walk in a Chinese city, as data a district can override.

Mainland OSM rarely tags ``sidewalk=*`` or ``foot=*`` on car roads although Beijing's trunk and primary roads
inside the built-up area have sidewalks, so those classes are walkable unless tagged otherwise. The rules are
documented in the module README; `WalkRules.from_dict` reads a district's overrides (settings
``SERVICECIRCLE_WALK_RULES``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace

NEVER_WALKABLE = frozenset(
    {
        "motorway", "motorway_link", "construction", "proposed", "planned", "abandoned", "disused", "razed",
        "platform", "bus_guideway", "raceway", "bus_stop", "services", "rest_area", "escape", "busway",
    }
)
WALKABLE = frozenset(
    {
        "footway", "path", "pedestrian", "living_street", "residential", "service", "unclassified", "road",
        "track", "corridor", "elevator", "tertiary", "tertiary_link", "secondary", "secondary_link",
    }
)
SIDEWALK_ASSUMED = frozenset({"trunk", "trunk_link", "primary", "primary_link"})
FOOT_ALLOWED = frozenset({"yes", "designated", "permissive"})
SIDEWALK_PRESENT = frozenset({"yes", "both", "left", "right"})
SIDEWALK_ABSENT = frozenset({"no", "none"})


@dataclass(frozen=True)
class WalkRules:
    """The walking rules of one district (defaults: a Chinese built-up area)."""

    walkable: frozenset[str] = WALKABLE
    sidewalk_assumed: frozenset[str] = SIDEWALK_ASSUMED
    steps: bool = True
    cycleway_without_foot: bool = False
    private_for_residents: bool = True
    pedestrian_areas: bool = True
    never_walkable: frozenset[str] = field(default=NEVER_WALKABLE)

    @classmethod
    def from_dict(cls, overrides: Mapping[str, object] | None) -> WalkRules:
        rules = cls()
        if not overrides:
            return rules
        unknown = set(overrides) - set(asdict(rules))
        if unknown:
            raise ValueError(f"unknown walking rule(s): {', '.join(sorted(unknown))}")
        values = {k: frozenset(v) if isinstance(v, list | tuple | set | frozenset) else v for k, v in overrides.items()}
        return replace(rules, **values)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, object]:
        return {k: sorted(v) if isinstance(v, frozenset) else v for k, v in asdict(self).items()}


@dataclass(frozen=True)
class WayKind:
    """A walkable way: ``private`` ways are walked only from inside (a compound's residents leaving it)."""

    private: bool = False
    level: int = 0
    area: bool = False


def classify(tags: Mapping[str, str], rules: WalkRules = WalkRules()) -> WayKind | None:
    """The way's walking kind, or None when nobody walks it under ``rules``."""
    highway = tags.get("highway")
    if not highway or highway in rules.never_walkable:
        return None
    foot = tags.get("foot")
    if foot == "no" or tags.get("access") == "no" and foot not in FOOT_ALLOWED:
        return None
    if not _class_walkable(highway, foot, tags.get("sidewalk"), rules):
        return None
    private = foot == "private" or tags.get("access") == "private" and foot not in FOOT_ALLOWED
    if private and not rules.private_for_residents:
        return None
    area = highway == "pedestrian" and tags.get("area") == "yes" and rules.pedestrian_areas
    return WayKind(private=private, level=level_of(tags), area=area)


def _class_walkable(highway: str, foot: str | None, sidewalk: str | None, rules: WalkRules) -> bool:
    if foot in FOOT_ALLOWED or sidewalk in SIDEWALK_PRESENT:
        return True
    if highway == "steps":
        return rules.steps
    if highway == "cycleway":
        return rules.cycleway_without_foot
    if highway in rules.sidewalk_assumed:
        return sidewalk not in SIDEWALK_ABSENT
    return highway in rules.walkable


def is_walkable(tags: Mapping[str, str], rules: WalkRules = WalkRules()) -> bool:
    """Walkable by anyone (private ways excluded)."""
    kind = classify(tags, rules)
    return kind is not None and not kind.private


def level_of(tags: Mapping[str, str]) -> int:
    """Vertical level: ``layer`` when given, else 1 on a bridge, -1 in a tunnel, 0 on the ground."""
    layer = tags.get("layer")
    if layer is not None:
        try:
            return max(-5, min(5, round(float(layer.split(";")[0]))))
        except ValueError:
            pass
    if tags.get("bridge", "no") != "no":
        return 1
    if tags.get("tunnel", "no") != "no":
        return -1
    return 0


BARRIER_LINES = frozenset({"fence", "wall", "city_wall", "retaining_wall", "guard_rail", "hedge", "jersey_barrier"})
WATER_LINES = frozenset({"river", "canal", "drain", "ditch", "stream"})
GATE_BARRIERS = frozenset({"gate", "entrance", "lift_gate", "swing_gate", "turnstile", "kissing_gate"})


def is_barrier_line(tags: Mapping[str, str]) -> bool:
    """A line a pedestrian cannot cross on the way from a building to its street."""
    return tags.get("barrier") in BARRIER_LINES or tags.get("waterway") in WATER_LINES


def is_gate(tags: Mapping[str, str]) -> bool:
    return "entrance" in tags or tags.get("barrier") in GATE_BARRIERS
