from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from civicgrid.core import registry

# Django's form label suffix, and the colon after a label in templates ({% translate ": " %}): "：" in Chinese
LABEL_COLONS = (gettext_noop(":"), gettext_noop(": "))


class CoreConfig(AppConfig):
    name = "civicgrid.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.apps import apps

        if apps.is_installed("axes"):  # django-axes names its app in English only; the admin index shows it
            apps.get_app_config("axes").verbose_name = _("Sign-in lockouts")
        registry.add_nav("core:home", _("Home"), order=0)
        registry.add_nav("core:audit", _("Audit log"), order=900, audience=registry.area_managers)
        registry.add_nav("admin:index", _("Administration"), order=1000, audience=registry.superusers)
        registry.add_public_routes("core", {"healthz": "load-balancer health check: answers ok, no data"})
        registry.add_public_routes("", {"set_language": "switches the interface language (Django's own view)"})
        registry.add_public_routes("api", {"openapi-json": "the API's OpenAPI document: no records",
                                           "openapi-view": "the API's documentation page: no records"})
