"""What the desks show beside each case: its age, the time left to its deadline with a level for the colour
(ok, soon, overdue), and the data of the small queue map (the area's grid shapes and one marker per case)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.cases.models import Case, State
from civicgrid.core.scoping import area_of
from civicgrid.territory.models import Level, Region

SOON = timedelta(hours=24)
RUNNING = (State.DISPATCHED, State.HANDLING)  # the handling deadline runs in these states
MAX_SHAPES = 400


def duration(delta: timedelta) -> str:
    """A span in the largest two units an office would write: 2天3小时, 5小时12分, 40分钟."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, hours, mins = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": mins}
    return _("%(minutes)d min") % {"minutes": mins}


@dataclass(frozen=True)
class Clock:
    age: str
    left: str  # '' when no deadline runs
    level: str  # 'ok', 'soon', 'overdue' or '' (no deadline)


def clock(case: Case, now: datetime | None = None) -> Clock:
    now = now or timezone.now()
    age = duration(now - case.reported_at)
    if case.state not in RUNNING or case.deadline is None:
        return Clock(age, "", "")
    left = case.deadline - now
    if case.overdue or left <= timedelta(0):
        return Clock(age, _("%(time)s overdue") % {"time": duration(-left)}, "overdue")
    return Clock(age, _("%(time)s left") % {"time": duration(left)}, "soon" if left < SOON else "ok")


def rows(cases, now: datetime | None = None) -> list[tuple[Case, Clock]]:
    """(case, clock) per case; each case also gets `grid_name`, the name of its grid."""
    now = now or timezone.now()
    cases = list(cases)
    names = dict(Region.objects.filter(code__in={case.region_code for case in cases}).values_list("code", "name"))
    for case in cases:
        case.grid_name = names.get(case.region_code, "")
    return [(case, clock(case, now)) for case in cases]


def _shapes(actor, region: str) -> list[dict]:
    """The grids of the area shown (communities, then subdistricts, when there are too many to draw)."""
    base = Region.objects.visible_to(actor).within(region or area_of(actor) or "").filter(boundary__isnull=False)
    for level in (Level.GRID, Level.COMMUNITY, Level.SUBDISTRICT):
        shapes = base.filter(level=level)
        if shapes.count() <= MAX_SHAPES:
            return [{"type": "Feature", "geometry": r.boundary, "properties": {"name": r.name, "code": r.code}}
                    for r in shapes.only("name", "code", "boundary")]
    return []


def queue_map(actor, page_rows, *, region: str = "") -> dict:
    """GeoJSON of the area's shapes plus the cases listed; the JS draws markers coloured by their clock."""
    markers = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [case.lon, case.lat]},
                "properties": {"number": case.number, "state": str(State(case.state).label), "level": tick.level,
                               "url": reverse("cases:detail", args=[case.pk])}}
               for case, tick in page_rows]
    return {"shapes": {"type": "FeatureCollection", "features": _shapes(actor, region)},
            "cases": {"type": "FeatureCollection", "features": markers}, "tile_url": settings.TILE_URL}
