"""The region browser: a map and a table of the children of a region, drilling down to grids and places."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicgrid.core.errors import NotFound
from civicgrid.territory import figures as region_figures
from civicgrid.territory import geometry as geo
from civicgrid.territory import selectors
from civicgrid.territory.models import Level, Region

PLACE_LIMIT = 300
CHILD_LABELS = {Level.SUBDISTRICT: gettext_lazy("Subdistricts"), Level.COMMUNITY: gettext_lazy("Communities"),
                Level.GRID: gettext_lazy("Grids")}


@login_required
def browser(request):
    region = selectors.top_region(actor=request.user)
    if region is None:
        return render(request, "territory/no_region.html")
    return _region_response(request, region)


@login_required
def region_page(request, code: str):
    try:
        region = selectors.get_region(actor=request.user, code=code)
    except NotFound as exc:
        raise Http404 from exc
    return _region_response(request, region)


def _labels() -> dict:
    return {"population": _("Population"), "households": _("Households"), "area": _("Area (km²)"),
            "generated": _("generated"), "open": _("Open"), "colourBy": _("Colour by"), "none": _("No figure"),
            "noData": _("no data")}


def _map_data(region: Region, children: list[Region], places: list, figures: list) -> dict:
    child_features = [
        geo.feature(child.boundary, {**selectors.region_properties(child),
                                     "url": reverse("territory:region", args=[child.code]),
                                     "figures": {f.key: f.children.get(child.code) for f in figures},
                                     "shown": {f.key: f.shown(f.children.get(child.code)) for f in figures}})
        for child in children if child.boundary
    ]
    return {
        "region": geo.feature(region.boundary, selectors.region_properties(region)) if region.boundary else None,
        "children": geo.feature_collection(child_features),
        "places": selectors.places_geojson(places),
        "figures": [f.legend() for f in figures],
        "tileUrl": settings.TILE_URL,
        "labels": _labels(),
    }


def _region_response(request, region: Region):
    actor = request.user
    children = list(selectors.children(actor=actor, region=region))
    places = []
    if region.level == Level.GRID:
        places = list(selectors.list_places(actor=actor, region=region.code)[:PLACE_LIMIT])
    figures = region_figures.gather(actor=actor, region=region, children=children)
    context = {
        "region": region,
        "figures": figures,
        "child_rows": region_figures.rows(figures, children),
        "crumbs": selectors.breadcrumbs(actor=actor, region=region),
        "children": children,
        "places": places,
        "child_label": CHILD_LABELS.get(Level(children[0].level), "") if children else "",
        "has_generated": region.boundary_generated or any(c.boundary_generated for c in children),
        "map_data": _map_data(region, children, places, figures),
    }
    return render(request, "territory/region.html", context)
