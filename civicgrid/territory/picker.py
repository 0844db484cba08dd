"""A region filter in steps: subdistrict → community → grid, each step listing only the children of the one
chosen before it and only inside the actor's area (a district has 1,120 grids: no page lists them at once).

The steps read query parameters `sub`, `community` and `grid`; a value that is not a child of the step before
(or lies outside the actor's area) is ignored. A `region` parameter (a link such as "residents of this grid")
fills the steps it implies. `chosen` is the deepest valid code, or '' for the actor's whole area."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from civicgrid.core.scoping import area_of
from civicgrid.territory.models import Level, Region

STEPS = (("sub", Level.SUBDISTRICT, _("Subdistrict")), ("community", Level.COMMUNITY, _("Community")),
         ("grid", Level.GRID, _("Grid")))
CODE_LENGTH = {Level.SUBDISTRICT: 9, Level.COMMUNITY: 12, Level.GRID: 15}


@dataclass
class Step:
    param: str
    label: object
    options: list[tuple[str, str]]
    value: str = ""


@dataclass
class RegionSteps:
    steps: list[Step] = field(default_factory=list)
    chosen: str = ""  # the deepest chosen region code ('' = the actor's whole area)

    @property
    def params(self) -> list[str]:
        return [step.param for step in self.steps]


def region_steps(actor, query) -> RegionSteps:
    """The steps an actor can use below his own area, with the values `query` (a QueryDict or dict) chose."""
    area = area_of(actor)
    result = RegionSteps()
    if area is None:
        return result
    parent, linked = area, (query.get("region") or "").strip()
    for param, level, label in STEPS:
        if len(area) >= CODE_LENGTH[level]:
            continue  # the actor's own level or above: nothing to choose
        options = list(Region.objects.visible_to(actor).filter(level=level, code__startswith=parent)
                       .order_by("code").values_list("code", "name"))
        wanted = (query.get(param) or "").strip() or (linked[:CODE_LENGTH[level]]
                                                          if len(linked) >= CODE_LENGTH[level] else "")
        value = wanted if wanted in {code for code, _name in options} else ""
        result.steps.append(Step(param, label, options, value))
        if not value:
            break
        parent = result.chosen = value
    return result
