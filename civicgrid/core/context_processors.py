from django.conf import settings
from django.utils.functional import SimpleLazyObject

from civicgrid.core import registry


def platform(request):
    user = getattr(request, "user", None)
    return {"TILE_URL": settings.TILE_URL, "PLATFORM_NAME": "civicgrid",
            # what the installed modules registered (core's templates name no feature app)
            "nav_entries": SimpleLazyObject(lambda: registry.nav_for(user)),
            "home_cards": SimpleLazyObject(lambda: registry.cards_for(user)),
            "header_links": SimpleLazyObject(lambda: registry.header_links_for(user)),
            "footer_links": SimpleLazyObject(registry.footer_links)}
