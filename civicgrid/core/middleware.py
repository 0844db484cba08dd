import logging
import uuid

from civicgrid.core.context import RequestInfo, bind_request_info, current_request_info, reset_request_info


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


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
