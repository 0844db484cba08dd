"""Cases API: thin handlers over services and selectors."""

from datetime import date, timedelta

from django.utils import timezone
from ninja import Path, Query, Router
from ninja.responses import Status

from civicgrid.cases import duplicates, policy, routing, selectors, services, stats, suggest, transitions
from civicgrid.cases.schemas import (
    BIG,
    Action,
    CaseActionIn,
    CaseCategoryOut,
    CaseDetailOut,
    CaseDuplicateOut,
    CaseFilters,
    CaseIn,
    CaseOut,
    CasePage,
    CaseStatsOut,
    CaseSuggestionOut,
    HandlingUnitOut,
)
from civicgrid.core.errors import ValidationFailed
from civicgrid.core.schemas import errors

router = Router(tags=["cases"])
Id = Path(..., ge=1, le=BIG)
ACTION = Path(...)


DAY = r"^\d{4}-\d{2}-\d{2}$"


def _day(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(code="invalid_date", field=field) from None


def allowed_actions(actor, case) -> list[str]:
    return [a for a in transitions.actions_from(case.state)
            if policy.may(actor, a, case) and not (a == "rate" and case.rated_at)]


@router.get("/case-categories", response={200: list[CaseCategoryOut], **errors()}, summary="Active case categories")
def categories(request):
    return list(selectors.categories())


@router.get("/case-units", response={200: list[HandlingUnitOut], **errors()}, summary="Handling units")
def units(request):
    return list(selectors.units())


@router.get("/cases", response={200: CasePage, **errors()}, summary="Cases visible to me")
def list_cases(request, filters: Query[CaseFilters]):
    params = filters.dict(exclude={"limit", "offset"})
    cases = selectors.list_cases(actor=request.auth, **params)
    return {"count": cases.count(), "items": list(cases[filters.offset:filters.offset + filters.limit])}


@router.post("/cases", response={201: CaseOut, **errors(403, 404)}, summary="Report a case (pin or address)")
def report(request, payload: CaseIn):
    case = services.report_case(actor=request.auth, **payload.dict())
    return Status(201, case)


@router.get("/cases/statistics", response={200: CaseStatsOut, **errors(404)},
            summary="Response, resolution, satisfaction and other rates (see RATES.md)")
def statistics(request, start: str | None = Query(None, pattern=DAY), end: str | None = Query(None, pattern=DAY),
               by: str = Query("region", pattern="^(region|unit|category|month)$")):
    end_day = _day(end, "end") or timezone.localdate()
    start_day = _day(start, "start") or end_day - timedelta(days=30)
    if start_day > end_day or (end_day - start_day).days > 3660:
        raise ValidationFailed(code="invalid_period", field="start")
    result = stats.report(actor=request.auth, start=start_day, end=end_day, by=by)

    def row(figures):
        return {"key": figures.key, "label": figures.label, "counts": figures.counts, "rates": figures.rates}

    return {"source": result.source, "total": row(result.total), "rows": [row(f) for f in result.rows]}


@router.get("/cases/{case_id}", response={200: CaseDetailOut, **errors(404)}, summary="A case with its timeline")
def detail(request, case_id: int = Id):
    case = selectors.get_case(actor=request.auth, case_id=case_id)
    case.actions = allowed_actions(request.auth, case)  # type: ignore[attr-defined]  # read by CaseDetailOut
    return case


@router.post("/cases/{case_id}/actions/{action}", response={200: CaseOut, **errors(403, 404, 409)},
             summary="Move a case: register, dispatch, accept, reply, verify, rework, close, rate, reopen, …")
def act(request, payload: CaseActionIn, case_id: int = Id, action: Action = ACTION):
    return services.perform(actor=request.auth, case_id=case_id, action=action, **payload.dict(exclude_none=True))


@router.get("/cases/{case_id}/duplicates", response={200: list[CaseDuplicateOut], **errors(404)},
            summary="Open cases of the same category nearby (merge candidates)")
def case_duplicates(request, case_id: int = Id):
    case = selectors.get_case(actor=request.auth, case_id=case_id)
    found = duplicates.candidates(case, scope=selectors.visible_cases(request.auth))
    return [{"case": other, "distance_m": round(distance, 1)} for other, distance in found]


@router.get("/cases/{case_id}/suggestion", response={200: CaseSuggestionOut, **errors(404)},
            summary="Suggested category (keywords, then learnt from past dispatches) and unit")
def case_suggestion(request, case_id: int = Id):
    case = selectors.get_case(actor=request.auth, case_id=case_id)
    found = suggest.suggest(case.description)
    category = case.category or (found.category if found else None)
    unit = routing.route(category, case.region_code, case.asset)
    return {"category_id": category.pk if category else None, "category_name": category.name if category else None,
            "source": "chosen" if case.category else (found.source if found else None),
            "unit_id": unit.pk if unit else None, "unit_name": unit.name if unit else None}
