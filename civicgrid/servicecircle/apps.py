from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceCircleConfig(AppConfig):
    name = "civicgrid.servicecircle"
    label = "servicecircle"
    verbose_name = _("15-minute service circle")
