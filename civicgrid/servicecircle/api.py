"""Service-circle API: categories, facilities, analysis runs and their results, recommendations, isochrones,
the new-compound check and exports (xlsx and GeoJSON, without personal data)."""

from django.http import HttpResponse
from ninja import Path, Query, Router
from ninja.responses import Status

from civicgrid.core.schemas import errors
from civicgrid.servicecircle import exporting, selectors, services
from civicgrid.servicecircle.errors import RunNotDone
from civicgrid.servicecircle.models import Status as RunStatus
from civicgrid.servicecircle.schemas import (
    BIG,
    CategoryOut,
    CommunityOut,
    CompoundCheckIn,
    CompoundCheckOut,
    FacilityFilter,
    FacilityIn,
    FacilityListOut,
    FacilityOut,
    GapOut,
    IsochroneOut,
    RecommendationIn,
    RecommendationOut,
    RunDetailOut,
    RunIn,
    RunOut,
)
from civicgrid.servicecircle.views_support import compound_check, place_check, place_isochrone

router = Router(tags=["servicecircle"])
Id = Path(..., ge=1, le=BIG)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file_doc(content_type: str, description: str) -> dict:
    return {"responses": {"200": {"description": description,
                                  "content": {content_type: {"schema": {"type": "string", "format": "binary"}}}}}}


@router.get("/servicecircle/categories", response={200: list[CategoryOut], **errors()},
            summary="Facility categories with their life-circle level and walking distance")
def categories(request):
    return list(selectors.categories())


@router.get("/servicecircle/facilities", response={200: FacilityListOut, **errors(404)},
            summary="Facilities in your jurisdiction, filtered by category, region, source or name")
def facilities(request, filters: Query[FacilityFilter]):
    queryset = selectors.list_facilities(actor=request.auth, category=filters.category, region=filters.region,
                                         q=filters.q, source=filters.source)
    return {"count": queryset.count(), "items": list(queryset[filters.offset:filters.offset + filters.limit])}


@router.post("/servicecircle/facilities", response={201: FacilityOut, **errors(403)},
             summary="Register a facility (placed in the grid containing it)")
def create_facility(request, payload: FacilityIn):
    return Status(201, services.create_facility(actor=request.auth, **payload.dict()))


@router.get("/servicecircle/runs", response={200: list[RunOut], **errors()}, summary="Analysis runs you can see")
def runs(request, status: RunStatus | None = None):
    return list(selectors.list_runs(actor=request.auth, status=status)[:200])


@router.post("/servicecircle/runs", response={201: RunOut, **errors(403, 404, 409)},
             summary="Start a coverage analysis of an area (computed in the background)")
def create_run(request, payload: RunIn):
    run = services.start_run(actor=request.auth, region_code=payload.region_code,
                             category_codes=payload.categories or None, walk_speed_m_s=payload.walk_speed_m_s,
                             snap_limit_m=payload.snap_limit_m)
    run.refresh_from_db()
    return Status(201, run)


@router.get("/servicecircle/runs/{run_id}", response={200: RunDetailOut, **errors(404)},
            summary="One run: inputs, status and summary (places beyond the snap limit are listed)")
def run_detail(request, run_id: int = Id):
    return selectors.get_run(actor=request.auth, run_id=run_id)


def _done_run(request, run_id: int):
    run = selectors.get_run(actor=request.auth, run_id=run_id)
    if run.status != RunStatus.DONE:
        raise RunNotDone()
    return run


@router.get("/servicecircle/runs/{run_id}/communities", response={200: list[CommunityOut], **errors(404, 409)},
            summary="Community scores: population covered and uncovered per category")
def communities(request, run_id: int = Id):
    run = _done_run(request, run_id)
    return list(selectors.community_results(actor=request.auth, run=run))


@router.get("/servicecircle/runs/{run_id}/gaps", response={200: list[GapOut], **errors(404, 409)},
            summary="Uncovered population per category in your area, largest gap first")
def gaps(request, run_id: int = Id):
    run = _done_run(request, run_id)
    return selectors.gaps(actor=request.auth, run=run)


@router.get("/servicecircle/runs/{run_id}/recommendations", response={200: list[RecommendationOut],
                                                                        **errors(404)},
            summary="Site recommendations made from a run")
def run_recommendations(request, run_id: int = Id):
    run = selectors.get_run(actor=request.auth, run_id=run_id)
    return list(selectors.recommendations(actor=request.auth, run=run))


@router.post("/servicecircle/runs/{run_id}/recommendations",
             response={201: RecommendationOut, **errors(403, 404, 409)},
             summary="Recommend sites for p new facilities of a category (maximise newly covered population)")
def create_recommendation(request, payload: RecommendationIn, run_id: int = Id):
    rec = services.recommend(actor=request.auth, run_id=run_id, category=payload.category, p=payload.p,
                             method=payload.method, points=[list(p) for p in payload.points],
                             use_facility_sites=payload.use_facility_sites)
    return Status(201, selectors.get_recommendation(actor=request.auth, recommendation_id=rec.pk))


@router.get("/servicecircle/recommendations/{recommendation_id}", response={200: RecommendationOut,
                                                                              **errors(404)},
            summary="One recommendation with its sites and each site's marginal gain")
def recommendation(request, recommendation_id: int = Id):
    return selectors.get_recommendation(actor=request.auth, recommendation_id=recommendation_id)


@router.get("/servicecircle/places/{place_id}/isochrone", response={200: IsochroneOut, **errors(404, 409)},
            summary="5/10/15-minute walking isochrones around a place (GeoJSON, WGS-84)")
def isochrone(request, place_id: int = Id, run: int | None = Query(None, ge=1, le=BIG,
                                                                   description="use this run's walking speed")):
    return place_isochrone(actor=request.auth, place_id=place_id, run_id=run)


@router.post("/servicecircle/compound-check", response={200: CompoundCheckOut, **errors(404, 409)},
             summary="Which categories a new residential compound at this point would lack")
def check(request, payload: CompoundCheckIn):
    return compound_check(actor=request.auth, lon=payload.lon, lat=payload.lat, population=payload.population,
                          district_code=payload.district_code)


@router.get("/servicecircle/places/{place_id}/check", response={200: CompoundCheckOut, **errors(404, 409)},
            summary="The new-compound check for a recorded compound (its location and population)")
def check_place(request, place_id: int = Id):
    return place_check(actor=request.auth, place_id=place_id)


@router.get("/servicecircle/runs/{run_id}/export.xlsx", response={200: None, **errors(404, 409)},
            openapi_extra=_file_doc(XLSX, "Places and communities of the run (no personal data)"),
            summary="Run results as an Excel workbook")
def export_xlsx(request, run_id: int = Id):
    run = _done_run(request, run_id)
    response = HttpResponse(exporting.run_xlsx(actor=request.auth, run=run), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="servicecircle-run-{run.pk}.xlsx"'
    return response


@router.get("/servicecircle/runs/{run_id}/export.geojson", response={200: None, **errors(404, 409)},
            openapi_extra=_file_doc("application/geo+json", "Places of the run as GeoJSON points"),
            summary="Run results as GeoJSON")
def export_geojson(request, run_id: int = Id):
    run = _done_run(request, run_id)
    response = HttpResponse(exporting.run_geojson_bytes(actor=request.auth, run=run),
                            content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="servicecircle-run-{run.pk}.geojson"'
    return response
