"""Procurement refusals with stable codes."""

from django.utils.translation import gettext_lazy as _

from civicgrid.core.errors import Conflict, DomainError, PermissionDenied


class NegativeList(DomainError):
    status = 422
    code = "negative_list"
    default_message = _("Goods, construction works and labour dispatch cannot be bought as services.")


class BudgetExceeded(Conflict):
    code = "budget_exceeded"
    default_message = _("The budget line does not have enough money left for this award.")


class WrongStage(Conflict):
    code = "wrong_stage"
    default_message = _("This is not possible at the purchase's current stage.")


class NotEligible(PermissionDenied):
    code = "not_eligible"
    default_message = _("This organization is not eligible to bid.")


class ConflictOfInterest(PermissionDenied):
    code = "conflict_of_interest"
    default_message = _("A reviewer who declared a conflict of interest cannot score this purchase.")


class NotDeclared(Conflict):
    code = "declaration_missing"
    default_message = _("Declare whether you have a conflict of interest before scoring.")


class ContractTooLong(DomainError):
    status = 422
    code = "contract_too_long"
    default_message = _("A contract runs at most one year, or three years for a recurring service.")
