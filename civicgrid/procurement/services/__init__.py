"""Every procurement write. Keyword-only, one transaction each, audited, the actor's right checked."""

from civicgrid.procurement.services.catalogue import add_budget_line, add_catalogue_item, change_budget
from civicgrid.procurement.services.contracts import (
    complete_milestone,
    decide_change,
    give_feedback,
    request_change,
    sign_contract,
    submit_report,
)
from civicgrid.procurement.services.evaluation import accept, evaluate, invoice, pay
from civicgrid.procurement.services.purchases import cancel_purchase, close_call, publish_call, start_purchase
from civicgrid.procurement.services.selection import add_reviewer, award, declare, score_bid, submit_bid

__all__ = [
    "accept", "add_budget_line", "add_catalogue_item", "add_reviewer", "award", "cancel_purchase", "change_budget",
    "close_call", "complete_milestone", "decide_change", "declare", "evaluate", "give_feedback", "invoice", "pay",
    "publish_call", "request_change", "score_bid", "sign_contract", "start_purchase", "submit_bid", "submit_report",
]
