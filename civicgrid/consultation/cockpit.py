"""What consultation gives the leadership cockpit (registered from ConsultationConfig.ready): the share of the
resolutions due in the period that were done by their due date, per region, within the actor's jurisdiction."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Count
from django.db.models.functions import Substr
from django.urls import reverse

from civicgrid.consultation.models import Resolution
from civicgrid.consultation.selectors import done_in_time, resolutions_due, resolutions_for


def resolutions_on_time(actor, regions: list, start: date, end: date) -> dict[str, float | None]:
    if not regions:
        return {}
    length = len(regions[0].code)
    due = (resolutions_due(actor=actor, start=start, end=end).annotate(prefix=Substr("region_code", 1, length))
           .filter(prefix__in=[r.code for r in regions]))
    rows = due.values("prefix").annotate(n=Count("id"), in_time=Count("id", filter=done_in_time())).order_by()
    found = {row["prefix"]: round(row["in_time"] / row["n"], 4) for row in rows if row["n"]}
    return {region.code: found.get(region.code) for region in regions}


def _home(code: str, start: date, end: date) -> str:
    """The resolution board narrowed to the resolutions the figure counts (due in the period, in the region)."""
    query = urlencode({"region": code, "due_from": start, "due_to": end - timedelta(days=1)})
    return f"{reverse('consultation:home')}?{query}#resolution-board"


def register(registry, titles: dict) -> None:
    registry.add_cockpit_kpi("resolutions_on_time", titles["resolutions_on_time"], panel="consultation",
                             panel_title=titles["panel"], values=resolutions_on_time, kind="share", better="high",
                             order=60, list_url=_home)
    registry.add_cockpit_brief("unresolved_resolutions", titles["unresolved"], items=unresolved, order=30)


def unresolved(actor, code: str, start: date, end: date) -> list[dict]:
    """Resolutions past their due date and not done, as of the end of the week."""
    rows = (resolutions_for(actor=actor).within(code).filter(due_on__lt=end)
            .exclude(status__in=[Resolution.Status.DONE, Resolution.Status.DROPPED]).order_by("due_on")[:50])
    return [{"text": f"{r.title}（{r.owner}）", "url": reverse("consultation:resolution", args=[r.pk]),
             "when": r.due_on} for r in rows]
