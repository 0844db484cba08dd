"""The base-map tiles and the "where is this point" lookup, both public (see apps.py for the reasons)."""

import gzip
import math

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from civicgrid.basemap import tiles


def _coordinate(value, limit: float) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and -limit <= number <= limit else None


@require_GET
def tile(request, z: int, x: int, y: int):
    """GeoJSON, gzip-compressed when the client accepts it; ETag and a day of public caching."""
    if not tiles.valid(z, x, y):
        raise Http404
    found = tiles.tile(z, x, y)
    if found.etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(found.body, content_type="application/geo+json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(found.body), content_type="application/geo+json")
    response["ETag"] = found.etag
    response["Cache-Control"] = f"public, max-age={tiles.CACHE_SECONDS}"
    response["Vary"] = "Accept-Encoding"
    return response


@require_GET
def where(request):
    """Grid, community and subdistrict names of a point, or a message when it is outside the district."""
    from civicgrid.territory import selectors
    from civicgrid.territory.locate import locate_code

    lon, lat = _coordinate(request.GET.get("lon"), 180), _coordinate(request.GET.get("lat"), 90)
    if lon is None or lat is None:
        return JsonResponse({"inside": False, "message": _("Give a longitude and a latitude.")}, status=400)
    code = locate_code(lon, lat)
    if not code:
        return JsonResponse({"inside": False, "message": _("This point is outside the district.")})
    return JsonResponse({"inside": True, **selectors.place_names(grid_code=code)})
