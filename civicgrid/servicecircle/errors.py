"""Refusals of the service-circle module, each with a stable code."""

from django.utils.translation import gettext_lazy as _

from civicgrid.core.errors import Conflict, ValidationFailed


class NoNetwork(Conflict):
    code = "no_network"
    default_message = _("No walking network is stored for this district: import or generate one first.")


class RunNotDone(Conflict):
    code = "run_not_done"
    default_message = _("This analysis has not finished.")


class NoCandidates(ValidationFailed):
    code = "no_candidates"
    default_message = _("There are no candidate sites: give points or use public facility sites.")


class ImportFailed(ValidationFailed):
    code = "import_failed"
    default_message = _("The file has errors; nothing was imported.")
