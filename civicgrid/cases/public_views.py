"""Public case pages, no sign-in: the district's published cases on a map and in a list, and one published case.
Only what `public.public_view` returns reaches a template."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from civicgrid.cases import selectors
from civicgrid.cases.forms import optional_int
from civicgrid.cases.public import STAGES, public_view, stage_states
from civicgrid.core.errors import NotFound

PAGE_SIZE = 20


def _map_data(shown: list[dict]) -> dict:
    return {"tile_url": settings.TILE_URL, "outline": selectors.subdistrict_outlines(),
            "points": [{"lon": s["lon"], "lat": s["lat"], "number": s["number"], "stage": s["stage_label"],
                        "url": reverse("cases:public_detail", args=[s["number"]])} for s in shown]}


def public_list(request):
    stage = request.GET.get("stage", "")
    category_id = optional_int(request.GET.get("category"))
    cases = selectors.published_cases(category_id=category_id, states=stage_states(stage))
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    communities = selectors.community_names(case.region_code for case in page)
    shown = [public_view(case, communities) for case in page]
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(request, "cases/public_list.html", {
        "page": page, "shown": shown, "map_data": _map_data(shown), "stage": stage, "category_id": category_id,
        "stages": [(key, label) for key, (label, _states) in STAGES.items()],
        "categories": selectors.categories().filter(parent__isnull=True), "filter_query": filters.urlencode()})


def public_detail(request, number: str):
    try:
        case = selectors.get_published_case(number=number)
    except NotFound:
        raise Http404 from None
    shown = public_view(case, selectors.community_names([case.region_code]))
    return render(request, "cases/public_detail.html", {"shown": shown, "map_data": _map_data([shown])})
