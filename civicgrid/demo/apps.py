from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Loads the Shijingshan demo district. Sits on top of every module, so it may call all of them."""

    name = "civicgrid.demo"
    label = "demo"
    verbose_name = _("Demo district")
