import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

log = logging.getLogger(__name__)


@login_required
def home(request):
    return render(request, "core/home.html")


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request, exception=None):
    return render(request, "core/error.html", {"status": 404}, status=404)


def forbidden(request, exception=None):
    return render(request, "core/error.html", {"status": 403}, status=403)


def server_error(request):
    correlation_id = getattr(request, "correlation_id", "")
    log.error("unhandled error on %s [correlation id %s]", request.path, correlation_id)
    return render(request, "core/error.html", {"status": 500, "correlation_id": correlation_id}, status=500)
