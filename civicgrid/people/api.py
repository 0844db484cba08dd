"""Residents and staff API: thin handlers over services and selectors. Masked values only, except reveal."""

from django.http import HttpResponse
from ninja import Query, Router
from ninja.responses import Status

from civicgrid.core.schemas import errors
from civicgrid.people import selectors, services
from civicgrid.people.schemas import (
    LookupIn,
    ResidentFilters,
    ResidentIn,
    ResidentListOut,
    ResidentOut,
    RevealIn,
    RevealOut,
    StaffFilters,
    StaffListOut,
)

router = Router(tags=["people"])


@router.get("/residents", response={200: ResidentListOut, **errors(401, 422)},
            summary="Residents in your jurisdiction, filtered")
def list_residents(request, filters: Query[ResidentFilters]):
    queryset = selectors.residents_for(actor=request.auth, **filters.selector_kwargs())
    return {"count": queryset.count(), "items": list(queryset[filters.offset:filters.offset + filters.limit])}


# POST only: a full ID number in a query string would land in access logs and browser history.
@router.post("/residents/lookup", response={200: ResidentOut, **errors(401, 404, 422)},
             summary="Find a resident by full ID number (exact match), the number in the body")
def lookup_resident_post(request, payload: LookupIn):
    return services.find_by_id_number(actor=request.auth, id_number=payload.id_number)


@router.get("/residents/{int:resident_id}", response={200: ResidentOut, **errors(401, 404)},
            summary="One resident")
def get_resident(request, resident_id: int):
    return selectors.resident_detail(actor=request.auth, resident_id=resident_id)


@router.post("/residents", response={201: ResidentOut, **errors(401, 404, 422)},
             summary="Register a resident at a residential compound")
def create_resident(request, payload: ResidentIn):
    data = payload.dict()
    resident = services.register_resident(actor=request.auth, place=data.pop("place_id"), **data)
    return Status(201, selectors.resident_detail(actor=request.auth, resident_id=resident.pk))


@router.post("/residents/{int:resident_id}/reveal", response={200: RevealOut, **errors(401, 403, 404, 422)},
             summary="Show one full personal-data value (needs the reveal permission; audited)")
def reveal_field(request, resident_id: int, payload: RevealIn, response: HttpResponse):
    value = services.reveal(actor=request.auth, resident_id=resident_id, field=payload.field,
                            purpose=payload.purpose)
    response["Cache-Control"] = "no-store"
    return {"field": payload.field, "value": value}


@router.get("/staff", response={200: StaffListOut, **errors(401, 422)}, summary="Staff roster in your jurisdiction")
def list_staff(request, filters: Query[StaffFilters]):
    queryset = selectors.staff_for(actor=request.auth, region=filters.region, body=filters.body)
    return {"count": queryset.count(), "items": list(queryset[filters.offset:filters.offset + filters.limit])}
