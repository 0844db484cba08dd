from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from civicgrid.api import api

urlpatterns = [
    path("", include("civicgrid.core.urls")),
    path("accounts/", include("civicgrid.accounts.urls")),
    path("regions/", include("civicgrid.territory.urls")),
    path("people/", include("civicgrid.people.urls")),
    path("notifications/", include("civicgrid.notifications.urls")),
    path("assets/", include("civicgrid.assets.urls")),
    path("cases/", include("civicgrid.cases.urls")),
    path("volunteering/", include("civicgrid.volunteering.urls")),
    path("servicecircle/", include("civicgrid.servicecircle.urls")),
    path("consultation/", include("civicgrid.consultation.urls")),
    path("organizations/", include("civicgrid.organizations.urls")),
    path("procurement/", include("civicgrid.procurement.urls")),
    path("partybuilding/", include("civicgrid.partybuilding.urls")),
    path("communityaffairs/", include("civicgrid.communityaffairs.urls")),
    path("cockpit/", include("civicgrid.cockpit.urls")),
    path("basemap/", include("civicgrid.basemap.urls")),
    path("open311/v2/", include("civicgrid.cases.open311_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)  # type: ignore[arg-type]

handler404 = "civicgrid.core.views.not_found"
handler500 = "civicgrid.core.views.server_error"
handler403 = "civicgrid.core.views.forbidden"
