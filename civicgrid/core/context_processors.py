from django.conf import settings


def platform(request):
    return {"TILE_URL": settings.TILE_URL, "PLATFORM_NAME": "civicgrid"}
