"""The refusals of community affairs, each with a stable code."""

from django.utils.translation import gettext_lazy as _

from civicgrid.core.errors import Conflict, PermissionDenied, ValidationFailed


class NegativeQuota(ValidationFailed):
    code = "negative_quota"
    default_message = _("A staffing quota cannot be below zero.")


class SlotTaken(Conflict):
    code = "slot_taken"
    default_message = _("This time slot is already booked. Choose another one.")


class NotASlot(ValidationFailed):
    code = "invalid_slot"
    default_message = _("Choose a free half-hour slot on a working day in office hours.")


class NotEligible(PermissionDenied):
    code = "not_eligible"
    default_message = _("This service item is only for the special groups it names; the people register does not "
                        "list the applicant in one of them.")


class InvalidStage(Conflict):
    code = "invalid_stage"
    default_message = _("The assessment is not at this stage.")


class WeightsIncomplete(ValidationFailed):
    code = "weights_not_100"
    default_message = _("The weights of the indicators must add up to 100.")
