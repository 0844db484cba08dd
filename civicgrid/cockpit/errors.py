"""Cockpit refusals with stable codes."""

from django.utils.translation import gettext_lazy as _

from civicgrid.core.errors import DomainError, PermissionDenied


class OnlyTheDistrict(PermissionDenied):
    code = "cockpit_district_only"
    default_message = _("Only the district office sets targets.")


class UnknownKpi(DomainError):
    status = 422
    code = "cockpit_unknown_kpi"
    default_message = _("There is no such key figure.")


class BadTarget(DomainError):
    status = 422
    code = "cockpit_bad_target"
    default_message = _("A rate's target is a percentage between 0 and 100; other targets are zero or more.")
