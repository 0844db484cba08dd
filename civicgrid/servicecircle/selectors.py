"""Every service-circle read takes the actor and stays inside its jurisdiction. A run made for a larger area
(e.g. the district) is visible to the staff below it, but its results are cut to the actor's own area;
anything of another community answers NotFound."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from civicgrid.core.errors import NotFound
from civicgrid.core.registry import Figure
from civicgrid.core.scoping import ScopedQuerySet, area_of, ensure_covers
from civicgrid.servicecircle.models import (
    AnalysisRun,
    Category,
    CommunityResult,
    Facility,
    Network,
    PlaceResult,
    Recommendation,
    Status,
)
from civicgrid.territory import selectors as territory_selectors
from civicgrid.territory.models import Place, Region


def categories(*, active_only: bool = False) -> QuerySet[Category]:
    queryset = Category.objects.all()
    return queryset.filter(active=True) if active_only else queryset


def visible_runs(actor) -> QuerySet[AnalysisRun]:
    """Runs made for the actor's area, a part of it, or an area containing it."""
    return AnalysisRun.objects.visible_to(actor)


def list_runs(*, actor, status: str | None = None) -> QuerySet[AnalysisRun]:
    runs = visible_runs(actor).select_related("created_by")
    if status:
        runs = runs.filter(status=status)
    return runs.order_by("-created_at", "-id")


def get_run(*, actor, run_id: int) -> AnalysisRun:
    run = visible_runs(actor).filter(pk=run_id).first()
    if run is None:
        raise NotFound()
    return run


def latest_run(*, actor) -> AnalysisRun | None:
    """The newest finished run of the actor's visible runs, preferring the one for the largest area."""
    return visible_runs(actor).filter(status=Status.DONE).order_by("-finished_at", "-id").first()


def place_results(*, actor, run: AnalysisRun, community: str | None = None) -> QuerySet[PlaceResult]:
    results = PlaceResult.objects.visible_to(actor).filter(run=run)
    if community:
        ensure_covers(actor, community)
        results = results.within(community)
    return results.select_related("place").order_by("region_code", "id")


def place_result(*, actor, run: AnalysisRun, place_id: int) -> PlaceResult:
    result = place_results(actor=actor, run=run).filter(place_id=place_id).first()
    if result is None:
        raise NotFound()
    return result


def community_results(*, actor, run: AnalysisRun) -> QuerySet[CommunityResult]:
    """The run's communities inside the actor's area (a grid worker reads their own community's row)."""
    return CommunityResult.objects.visible_to(actor).filter(run=run).order_by("community_code")


def gaps(*, actor, run: AnalysisRun) -> list[dict]:
    """Per category in the run: population, covered and uncovered population, share covered, within the
    actor's area, sorted by uncovered population (largest gap first)."""
    covered: dict[str, float] = defaultdict(float)
    uncovered: dict[str, float] = defaultdict(float)
    for row in community_results(actor=actor, run=run):
        for code, value in row.covered.items():
            covered[code] += value
        for code, value in row.uncovered.items():
            uncovered[code] += value
    rows = []
    labels = run.category_labels()
    for category in run.categories:
        code = category["code"]
        total = covered[code] + uncovered[code]
        rows.append({"code": code, "name": labels[code], "level": category["level"],
                     "walk_distance_m": category["walk_distance_m"], "population": total,
                     "covered_population": covered[code], "uncovered_population": uncovered[code],
                     "covered_share": covered[code] / total if total else None})
    return sorted(rows, key=lambda r: -r["uncovered_population"])


def visible_recommendations(actor) -> QuerySet[Recommendation]:
    return Recommendation.objects.visible_to(actor)


def recommendations(*, actor, run: AnalysisRun) -> QuerySet[Recommendation]:
    return (visible_recommendations(actor).filter(run=run).select_related("category")
            .prefetch_related("sites").order_by("-created_at", "-id"))


def get_recommendation(*, actor, recommendation_id: int) -> Recommendation:
    rec = (visible_recommendations(actor).filter(pk=recommendation_id).select_related("category", "run")
           .prefetch_related("sites").first())
    if rec is None:
        raise NotFound()
    return rec


def visible_facilities(actor) -> ScopedQuerySet:
    return Facility.objects.visible_to(actor)


def list_facilities(*, actor, category: str | None = None, region: str | None = None, q: str | None = None,
                    source: str | None = None) -> QuerySet[Facility]:
    facilities = visible_facilities(actor).select_related("category")
    if category:
        facilities = facilities.filter(category__code=category)
    if region:
        ensure_covers(actor, region)
        facilities = facilities.within(region)
    if source:
        facilities = facilities.filter(source=source)
    q = (q or "").replace("\x00", "").strip()
    if q:
        facilities = facilities.filter(Q(name__icontains=q) | Q(operator__icontains=q))
    return facilities.order_by("region_code", "name", "id")


def get_place(*, actor, place_id: int) -> Place:
    return territory_selectors.get_place(actor=actor, place_id=place_id)


def area_code(actor) -> str | None:
    """The region an actor's analyses default to: its own area, or the first district for an administrator."""
    prefix = area_of(actor)
    if prefix is None:
        return None
    if prefix == "":
        region = territory_selectors.top_region(actor=actor)
        return region.code if region else None
    return prefix


def area_region(actor) -> Region | None:
    code = area_code(actor)
    return Region.objects.visible_to(actor).filter(code=code).first() if code else None


def area_choices(actor) -> list[tuple[str, str]]:
    """The actor's own area and, above community level, its direct children: where a run may be started."""
    region = area_region(actor)
    if region is None:
        return []
    choices = [(region.code, region.name)]
    if len(region.code) < 12:
        choices += [(child.code, f"— {child.name}") for child in Region.objects.filter(parent=region).order_by("code")]
    return choices


def network_of(region: Region | None) -> Network | None:
    return Network.objects.filter(district_code=region.code[:6]).first() if region else None


def network_file(district_code: str):
    """The stored walking network of a district (for the service circle's engine and other modules' matching)."""
    from civicgrid.servicecircle import analysis

    return analysis.network_path(district_code)


def coverage(*, actor) -> float | None:
    """The share of (resident, facility category) pairs within reach in the actor's area, from the latest
    finished run: population-weighted over the communities the actor sees. None before any run."""
    run = latest_run(actor=actor)
    if run is None:
        return None
    rows = list(community_results(actor=actor, run=run).only("population", "covered"))
    possible = sum(row.population * len(row.covered) for row in rows)
    return round(sum(sum(row.covered.values()) for row in rows) / possible, 4) if possible else None


def home_figures(user) -> list[Figure]:
    """The service-circle card of the home dashboard (area managers only)."""
    if not getattr(user, "manages_area", False):
        return []
    share = coverage(actor=user)
    value = "—" if share is None else f"{share * 100:.1f}%"
    return [Figure(_("residents within 15 minutes' walk of each service"), value, reverse("servicecircle:map"),
                   testid="figure-coverage")]
def walking_graph(district_code: str):
    """The district's walking network as an engine graph (cached per file), or None when it has none yet."""
    from civicgrid.servicecircle import analysis
    from civicgrid.servicecircle.errors import NoNetwork

    try:
        return analysis.graph_for(district_code)
    except NoNetwork:
        return None


def street_names(district_code: str) -> list[dict]:
    """[{"name", "coordinates"}] of the named streets of the district's network source; [] when it has none
    (a generated network, or an import without names)."""
    import json

    from civicgrid.servicecircle import analysis

    path = analysis.street_names_path(district_code)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def gap_figures(*, category: str, regions: list[str]) -> dict:
    """Residents covered and not covered for one category in these communities, from the newest finished run that
    has results for them (system figures for another module: counts only, no actor)."""
    rows = CommunityResult.objects.within_any(regions).filter(run__status=Status.DONE)
    latest = (AnalysisRun.objects.filter(status=Status.DONE, pk__in=rows.values("run"))
              .order_by("-finished_at", "-id").first())
    if latest is None:
        return {"population": 0, "uncovered": 0, "covered_share": None, "run": None}
    population = uncovered = 0.0
    for row in rows.filter(run=latest):
        covered, missing = float(row.covered.get(category, 0)), float(row.uncovered.get(category, 0))
        population += covered + missing
        uncovered += missing
    share = (population - uncovered) / population if population else None
    return {"population": round(population), "uncovered": round(uncovered),
            "covered_share": round(share, 4) if share is not None else None, "run": latest.pk}
