from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "civicgrid.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from civicgrid.cases import events  # noqa: F401 - registers the case event kinds
