import logging
import uuid

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

from civicgrid.core.clientip import client_ip
from civicgrid.core.context import RequestInfo, bind_request_info, current_request_info, reset_request_info


class CorrelationIdMiddleware:
    """Tags each request with a correlation id (echoed in X-Correlation-ID and in error pages and logs)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.correlation_id = uuid.uuid4().hex[:16]
        token = bind_request_info(RequestInfo(ip=client_ip(request), correlation_id=request.correlation_id))
        try:
            response = self.get_response(request)
        finally:
            reset_request_info(token)
        response["X-Correlation-ID"] = request.correlation_id
        return response


class CorrelationIdFilter(logging.Filter):
    def filter(self, record):
        record.correlation_id = current_request_info().correlation_id or "-"
        return True


class RejectNulBytesMiddleware:
    """NUL characters are never legitimate input, and PostgreSQL text cannot hold them: refuse them up front
    instead of failing deep inside a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            message = _("The request contains a NUL character.")
            if request.path.startswith("/api/") or request.path.startswith("/open311/"):
                return JsonResponse({"code": "invalid_characters", "message": message}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if request.method not in ("POST", "PUT", "PATCH"):
            return False
        if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            return any("\x00" in value for values in request.POST.lists() for value in values[1])
        return b"\x00" in request.body or b"\\u0000" in request.body

