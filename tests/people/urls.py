"""The project's URLs, plus a stand-in `territory:browser` while the territory app does not define it yet
(the navigation in base.html links to it, so no page would render without it)."""

from django.http import HttpResponse
from django.urls import include, path

from civicgrid.territory import urls as territory_urls
from civicgrid.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(getattr(p, "name", None) == "browser" for p in territory_urls.urlpatterns):
    urlpatterns = [p for p in urlpatterns if getattr(p, "namespace", None) != "territory"]
    stub = [path("", lambda request: HttpResponse("regions"), name="browser")]
    urlpatterns.append(path("regions/", include((list(territory_urls.urlpatterns) + stub, "territory"))))
