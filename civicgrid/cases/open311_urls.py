from django.urls import path, re_path

from civicgrid.cases import open311

FMT = r"(?P<fmt>json|xml)"
urlpatterns = [
    re_path(rf"^discovery\.{FMT}$", open311.discovery, name="open311-discovery"),
    re_path(rf"^services\.{FMT}$", open311.services_list, name="open311-services"),
    re_path(rf"^services/(?P<code>[\w-]{{1,16}})\.{FMT}$", open311.service_definition, name="open311-service"),
    re_path(rf"^requests\.{FMT}$", open311.requests, name="open311-requests"),
    re_path(rf"^requests/(?P<number>[\w-]{{1,20}})\.{FMT}$", open311.request_detail, name="open311-request"),
    re_path(rf"^tokens/(?P<token_id>[\w-]{{1,36}})\.{FMT}$", open311.token, name="open311-token"),
    path("", open311.discovery, {"fmt": "json"}, name="open311-root"),
    re_path(r"^(?P<rest>.*)$", open311.unknown, name="open311-unknown"),
]

# Open311 GeoReport v2 is an open standard for anyone: GET answers hold published cases' public fields only.
PUBLIC_ROUTES = (
    ("open311-root", "Open311 discovery document (JSON), no data"),
    ("open311-discovery", "Open311 discovery document, no data"),
    ("open311-services", "list of public service types (case categories)"),
    ("open311-service", "definition of a public service type"),
    ("open311-requests", "GET: published cases, public fields only (a granting api_key adds its own cases); "
                         "POST needs an api_key"),
    ("open311-request", "one published case, public fields only (a granting api_key adds its own cases)"),
    ("open311-unknown", "any other path under /open311/v2/: a 404 in the Open311 error format, no data"),
    ("open311-token", "maps an unguessable token returned to the posting client to its case number"),
)
