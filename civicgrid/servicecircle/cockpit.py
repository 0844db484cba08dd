"""What the service circle gives the leadership cockpit (registered from ServiceCircleConfig.ready): coverage per
region (the newest finished analysis; not a per-period figure) and, for the weekly brief, the communities whose
analysis finished in the week left categories out of reach (new gaps)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.urls import reverse
from django.utils import timezone

from civicgrid.servicecircle.models import CommunityResult, Status
from civicgrid.servicecircle.region_figures import coverage


def coverage_in_period(actor, regions: list, start: date, end: date) -> dict[str, float | None]:
    return coverage(actor, regions)


def new_gaps(actor, code: str, start: date, end: date) -> list[dict]:
    since, until = (timezone.make_aware(datetime.combine(day, time.min)) for day in (start, end))
    results = (CommunityResult.objects.visible_to(actor).within(code)
               .filter(run__status=Status.DONE, run__finished_at__gte=since,
                       run__finished_at__lt=until).select_related("run").order_by("community_code")[:50])
    items = []
    for result in results:
        names = {c.get("code"): c.get("name") for c in result.run.categories or [] if isinstance(c, dict)}
        missing = [names.get(code) or code for code, people in (result.uncovered or {}).items() if people]
        if missing:
            items.append({"text": f"{result.name or result.community_code}：{'、'.join(map(str, missing[:6]))}",
                          "url": reverse("servicecircle:run", args=[result.run_id]), "when": result.run.finished_at})
    return items


def _map(code: str, start: date, end: date) -> str:
    return reverse("servicecircle:map")


def register(registry, titles: dict) -> None:
    registry.add_cockpit_kpi("servicecircle_coverage", titles["coverage"], panel="servicecircle",
                             panel_title=titles["panel"], values=coverage_in_period, kind="share", better="high",
                             order=30, list_url=_map, note=titles["note"])
    registry.add_cockpit_brief("new_gaps", titles["gaps"], items=new_gaps, order=20)
