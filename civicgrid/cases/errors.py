"""Stable refusals of the case workflow."""

from django.utils.translation import gettext_lazy as _

from civicgrid.core.errors import Conflict, ValidationFailed


class IllegalTransition(Conflict):
    code = "illegal_transition"
    default_message = _("This action is not possible in the case's current state.")


class ReopenWindowClosed(Conflict):
    code = "reopen_window_closed"
    default_message = _("A case can be reopened only within 7 days of its closing.")


class AlreadyRated(Conflict):
    code = "already_rated"
    default_message = _("This case has already been rated.")


class NoUnitFound(Conflict):
    code = "no_unit"
    default_message = _("No handling unit is configured for this category and place: choose one.")


class NotADuplicate(Conflict):
    code = "merge_target_invalid"
    default_message = _("A case can be merged only into another open case.")


class ReasonRequired(ValidationFailed):
    code = "reason_required"
    default_message = _("Give a reason.")


class OutsideDistrict(ValidationFailed):
    code = "outside_district"
    default_message = _("The location is outside the district's grids.")


class AddressNotFound(ValidationFailed):
    code = "address_not_found"
    default_message = _("The address was not found in the district: set a pin on the map instead.")


class InvalidPhoto(ValidationFailed):
    code = "invalid_photo"
    default_message = _("Photos must be JPEG, PNG or WebP images of at most 8 MB.")


class NotPublishable(Conflict):
    code = "not_publishable"
    default_message = _("Only a resident's report whose reporter chose to publish it can be published.")


class RequestPending(Conflict):
    code = "request_pending"
    default_message = _("This case already has a request waiting for the dispatcher.")


class NoPendingRequest(Conflict):
    code = "no_pending_request"
    default_message = _("This case has no request waiting for a decision.")


class InvalidExtension(ValidationFailed):
    code = "invalid_extension"
    default_message = _("Give a new date later than the current deadline and within 60 days.")


class NoCallBack(Conflict):
    code = "no_callback"
    default_message = _("This case has no call-back waiting.")


class CallBackTooSoon(Conflict):
    code = "callback_too_soon"
    default_message = _("The next call-back attempt must be on a later working day.")


class FollowUpNotPossible(Conflict):
    code = "followup_not_possible"
    default_message = _("This call-back result does not allow that follow-up.")
