import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from civicgrid.core import registry
from civicgrid.core.errors import DomainError, NotFound, PermissionDenied

log = logging.getLogger(__name__)


@login_required
def home(request):
    dashboard = registry.dashboard_for(request.user)
    return render(request, "core/home.html", {"dashboard": dashboard,
                                              "has_figures": any(figures for _card, figures in dashboard)})


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def refusal(request, error: DomainError):
    """A page's answer to a refused request about a record: 404 when it is out of sight, 403 when the actor
    may see it but not do this, with the refusal's own message. Other refusals (bad input, wrong state) are
    the view's to show beside the form."""
    status = 404 if isinstance(error, NotFound) else 403
    return render(request, "core/error.html", {"status": status, "message": error.message}, status=status)


def _is_api(request) -> bool:
    return request.path.startswith(("/api/", "/open311/"))


def _api_error(error: DomainError) -> JsonResponse:
    return JsonResponse(error.as_dict(), status=error.status)


def not_found(request, exception=None):
    if _is_api(request):
        return _api_error(NotFound())
    return render(request, "core/error.html", {"status": 404}, status=404)


def forbidden(request, exception=None):
    if _is_api(request):
        return _api_error(PermissionDenied())
    return render(request, "core/error.html", {"status": 403}, status=403)


def csrf_failure(request, reason=""):
    if _is_api(request):
        return _api_error(PermissionDenied(_("CSRF check failed: send the CSRF token or use an API token."),
                                           code="csrf_failed"))
    return render(request, "core/error.html", {"status": 403, "csrf": True}, status=403)


def server_error(request):
    correlation_id = getattr(request, "correlation_id", "")
    log.error("unhandled error on %s [correlation id %s]", request.path, correlation_id)
    if _is_api(request):
        body = {"code": "server_error", "message": _("Internal error, reference %(id)s.") % {"id": correlation_id}}
        return JsonResponse(body, status=500)
    return render(request, "core/error.html", {"status": 500, "correlation_id": correlation_id}, status=500)
