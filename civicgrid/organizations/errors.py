"""Refusals of the organizations module, each with a stable code."""

from django.utils.translation import gettext_lazy as _

from civicgrid.core.errors import Conflict, PermissionDenied, ValidationFailed


class NotAnOrganization(PermissionDenied):
    code = "not_an_organization"
    default_message = _("Sign in with your organization's account to do this.")


class WrongState(Conflict):
    code = "wrong_state"
    default_message = _("This cannot be done in the record's current state.")


class HubAlreadyDesignated(Conflict):
    code = "hub_already_designated"
    default_message = _("This subdistrict already has a designated hub organization for this field.")


class DuplicateOrganization(Conflict):
    code = "duplicate_organization"
    default_message = _("An organization with this credit code or name is already in the registry.")


class TrainingFull(Conflict):
    code = "training_full"
    default_message = _("The training session is full.")


class AlreadySignedIn(Conflict):
    code = "already_signed_in"
    default_message = _("Already signed in for this training session.")


class CheckinClosed(Conflict):
    code = "checkin_closed"
    default_message = _("Sign-in opens one hour before the session starts and closes when it ends.")


class BadScores(ValidationFailed):
    code = "invalid_scores"
    default_message = _("Score every indicator of the template between 0 and its maximum.")
