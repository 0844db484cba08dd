"""The duplicate prompt of the report page: the open cases of the chosen category near the pin (JSON, asked by
static/cases/duplicates.js whenever the pin or the category changes), and joining one of them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicgrid.cases import duplicates, services
from civicgrid.cases.forms import optional_int
from civicgrid.core.web import acting


def _point(data) -> tuple[float | None, float | None]:
    try:
        return float(data.get("lon", "")), float(data.get("lat", ""))
    except ValueError:
        return None, None


@login_required
@require_GET
def nearby(request):
    category_id, (lon, lat) = optional_int(request.GET.get("category_id")), _point(request.GET)
    found = duplicates.nearby(category_id=category_id, lon=lon, lat=lat) if category_id and lon is not None \
        and lat is not None else []
    return JsonResponse({"radius_m": int(duplicates.limits()[0]),
                         "cases": [duplicates.shown(case, distance) for case, distance in found]})


@login_required
@require_POST
@acting("cases:report")
def join(request, case_id: int):
    lon, lat = _point(request.POST)  # without the pin the case is not one the prompt showed: 404
    case = services.join_case(actor=request.user, case_id=case_id, lon=lon, lat=lat,
                              category_id=optional_int(request.POST.get("category_id")))
    messages.success(request, _("You follow case %(number)s: its updates will reach you.") % {"number": case.number})
    return redirect("cases:mine")
