"""Consultation refusals with stable codes."""

from django.utils.translation import gettext_lazy as _

from civicgrid.core.errors import Conflict, DomainError, PermissionDenied


class NotVerified(PermissionDenied):
    code = "not_verified_resident"
    default_message = _("Only residents whose household staff verified in this community may do this.")


class AlreadySupported(Conflict):
    code = "already_supported"
    default_message = _("Your household already supports this topic.")


class WrongState(Conflict):
    code = "wrong_state"
    default_message = _("This is not possible in the current state.")


class VoteClosed(Conflict):
    code = "vote_closed"
    default_message = _("This vote is closed; ballots can no longer change.")


class MinutesLocked(Conflict):
    code = "minutes_locked"
    default_message = _("The approved minutes are locked; save an amendment as a new version.")


class InvalidChoice(DomainError):
    status = 422
    code = "invalid_choice"
    default_message = _("Choose one of the vote's options.")
