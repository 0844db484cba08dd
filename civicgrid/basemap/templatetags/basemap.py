"""`{% basemap_script %}`: loads the shared base-map helper with its settings (see static/basemap/basemap.js)."""

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def basemap_script() -> str:
    tiles = reverse("basemap:tile", args=[1, 2, 3]).replace("/1/2/3.", "/{z}/{x}/{y}.")
    return format_html(
        '<script src="{}" data-tiles="{}" data-where="{}" data-css="{}" data-tile-url="{}" data-locate-label="{}" '
        'data-msg-locating="{}" data-msg-denied="{}" data-msg-unavailable="{}" data-msg-outside="{}"></script>',
        static("basemap/basemap.js"), tiles, reverse("basemap:where"), static("basemap/basemap.css"),
        settings.TILE_URL, _("My location"), _("Finding your location…"),
        _("Location access was refused. Allow it in your browser, or tap the map to choose the place."),
        _("Your location could not be found. Tap the map to choose the place."),
        _("You seem to be outside the district. Tap the map to choose the place."))
