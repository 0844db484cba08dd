"""The figures other modules registered per region (core.registry.add_region_figure), gathered for a region page:
one column per figure in the children's table, the region's own figures beside its population, and the values the
map colours the children by. Territory names no module: what is not installed contributes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from civicgrid.core import registry
from civicgrid.core.numbers import percent, thousands
from civicgrid.territory.models import Region


@dataclass
class Figure:
    key: str
    title: str
    kind: str
    better: str
    note: str
    own: float | None  # the region's own value
    children: dict[str, float | None]

    def shown(self, value: float | None) -> str:
        if value is None:
            return "—"
        if self.kind == "share":
            return percent(value)
        return thousands(value, 1 if self.kind == "per_thousand" else 0)

    @property
    def own_shown(self) -> str:
        return self.shown(self.own)

    def legend(self) -> dict:
        return {"key": self.key, "title": self.title, "kind": self.kind, "better": self.better, "note": self.note}


def gather(*, actor, region: Region, children: list[Region]) -> list[Figure]:
    figures = []
    for entry in registry.region_figures():
        own = entry.values(actor, [region]).get(region.code)
        values = entry.values(actor, children) if children else {}
        figures.append(Figure(entry.key, str(entry.title), entry.kind, entry.better, str(entry.note or ""), own,
                              values))
    return figures


def rows(figures: list[Figure], children: list[Region]) -> list[dict]:
    """Per child: the region and its figures as (key, title, shown), in the order of `figures`."""
    return [{"region": child, "figures": [(f.key, f.title, f.shown(f.children.get(child.code))) for f in figures]}
            for child in children]
