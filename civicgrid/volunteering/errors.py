"""Volunteering refusals with stable codes."""

from django.utils.translation import gettext_lazy as _

from civicgrid.core.errors import Conflict, DomainError


class InsufficientPoints(Conflict):
    code = "insufficient_points"
    default_message = _("Not enough points in the account.")


class OutOfStock(Conflict):
    code = "out_of_stock"
    default_message = _("This reward is out of stock.")


class DuplicateRequest(Conflict):
    code = "duplicate_request"
    default_message = _("This request was already made.")


class KeyReused(Conflict):
    code = "idempotency_key_reused"
    default_message = _("This idempotency key was already used for a different request.")


class InvalidState(Conflict):
    code = "invalid_state"
    default_message = _("This is not possible in the current state.")


class NotEligible(DomainError):
    code = "not_eligible"
    default_message = _("This transfer is not allowed.")


class ShiftNotOver(Conflict):
    code = "shift_not_over"
    default_message = _("Hours can be confirmed only after the service has ended.")


class VolunteerNotVerified(Conflict):
    code = "volunteer_not_verified"
    default_message = _("The community has not yet verified this volunteer's registration: verify it first.")
