"""Refusals of party building, each with a stable code."""

from django.utils.translation import gettext_lazy as _

from civicgrid.core.errors import Conflict, ValidationFailed


class RoomTaken(Conflict):
    code = "room_taken"
    default_message = _("The room is already booked for part of this time.")


class EventFull(Conflict):
    code = "event_full"
    default_message = _("The event is full.")


class AlreadySignedUp(Conflict):
    code = "already_signed_up"
    default_message = _("This person is already signed up for the event.")


class WrongStage(Conflict):
    code = "wrong_stage"
    default_message = _("The project is not at the stage this step needs.")


class PledgeExhausted(Conflict):
    code = "pledge_exhausted"
    default_message = _("This use exceeds what remains of the pledge.")


class RecordAlreadyCounted(Conflict):
    code = "record_already_counted"
    default_message = _("This volunteering record already counts for a party member.")


class NotAnOfficeBuilding(ValidationFailed):
    code = "not_an_office_building"
    default_message = _("Choose a place of the kind office building.")
