"""Procurement API under /api/v1/procurement/: thin handlers over services and selectors."""

from ninja import Path, Router
from ninja.responses import Status

from civicgrid.core.schemas import errors
from civicgrid.procurement import disclosure, selectors, services
from civicgrid.procurement.schemas import (
    BIG,
    AwardIn,
    BidIn,
    BidOut,
    BudgetLineOut,
    PurchaseOut,
    StageColumn,
    ValueOut,
)

router = Router(tags=["procurement"])
Id = Path(..., ge=1, le=BIG)
P = "/procurement"


@router.get(f"{P}/budget-lines", response={200: list[BudgetLineOut], **errors()},
            summary="Budget lines the caller may see")
def budget_lines(request, year: int | None = None):
    return list(selectors.budget_lines(actor=request.auth, year=year)[:500])


@router.get(f"{P}/purchases", response={200: list[PurchaseOut], **errors()}, summary="Purchases the caller may see")
def purchases(request, stage: str | None = None):
    return list(selectors.purchases(actor=request.auth, stage=stage)[:500])


@router.get(f"{P}/board", response={200: list[StageColumn], **errors()},
            summary="The purchase pipeline by stage (kanban)")
def board(request):
    return selectors.board(actor=request.auth)


@router.get(P + "/purchases/{purchase_id}", response={200: PurchaseOut, **errors(404)}, summary="One purchase")
def purchase(request, purchase_id: int = Id):
    return selectors.get_purchase(actor=request.auth, purchase_id=purchase_id)


@router.post(P + "/purchases/{purchase_id}/bids", response={201: BidOut, **errors(403, 404, 409)},
             summary="Bid on a published call (a social organization's account)")
def bid(request, payload: BidIn, purchase_id: int = Id):
    return Status(201, services.submit_bid(actor=request.auth, purchase_id=purchase_id, **payload.dict()))


@router.post(P + "/purchases/{purchase_id}/award", response={200: PurchaseOut, **errors(403, 404, 409)},
             summary="Award a bid with reasons (commits the budget line under a lock)")
def award(request, payload: AwardIn, purchase_id: int = Id):
    return services.award(actor=request.auth, purchase_id=purchase_id, bid_id=payload.bid_id, reason=payload.reason)


@router.get(P + "/contracts/{contract_id}/value", response={200: ValueOut, **errors(404)},
            summary="Value for money of one contract")
def value(request, contract_id: int = Id):
    contract = selectors.contract_of(actor=request.auth, contract_id=contract_id)
    return {"contract_id": contract.pk, "amount": contract.amount, **selectors.value_for_money(contract)}


@router.get(f"{P}/disclosure/360giving", auth=None, response={200: dict, **errors()},
            summary="Awarded purchases in the 360Giving JSON layout (open data)")
def giving(request):
    return disclosure.package()
