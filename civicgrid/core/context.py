"""Per-request facts (client address, correlation id) that services record without passing them around."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    ip: str = ""
    correlation_id: str = ""


_NO_REQUEST = RequestInfo()
_current: ContextVar[RequestInfo | None] = ContextVar("civicgrid_request_info", default=None)


def current_request_info() -> RequestInfo:
    return _current.get() or _NO_REQUEST


def bind_request_info(info: RequestInfo):
    return _current.set(info)


def reset_request_info(token) -> None:
    _current.reset(token)
