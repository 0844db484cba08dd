"""The client's address, and forwarded headers believed only from our own reverse proxies.

`X-Forwarded-For` and `X-Forwarded-Proto` are written by whoever sends the request: from anyone but a proxy
listed in TRUSTED_PROXIES (env `CIVICGRID_TRUSTED_PROXIES`, addresses or CIDRs) they are ignored, or anyone could
pose as any address in the audit log, dodge the follow-page throttle or claim HTTPS.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

from civicgrid.core.errors import ConfigurationError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# dropped from requests of untrusted peers, so nothing downstream can read them by mistake
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                     "HTTP_X_FORWARDED_PORT", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)
    except ValueError as exc:
        raise ConfigurationError(f"CIVICGRID_TRUSTED_PROXIES: {exc}") from None


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().removeprefix("[").removesuffix("]"))
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    parsed = _address(address)
    return parsed is not None and any(parsed in network for network in trusted_networks())


def client_ip(request) -> str:
    """REMOTE_ADDR, unless it is a trusted proxy: then the right-most X-Forwarded-For hop that is not one."""
    peer = request.META.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(peer):
        return peer
    client = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        parsed = _address(hop)
        if parsed is None:  # garbage left of our proxies: nothing further left can be believed
            break
        client = str(parsed)
        if not is_trusted_proxy(client):
            break
    return client


class TrustedProxyMiddleware:
    """First in MIDDLEWARE. From a trusted proxy, X-Forwarded-Proto sets the scheme (so `request.is_secure()`
    and secure redirects see the client's HTTPS); from anyone else the forwarded headers are removed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            proto = request.META.get("HTTP_X_FORWARDED_PROTO", "").split(",")[0].strip().lower()
            if proto in ("http", "https"):
                request.META["wsgi.url_scheme"] = proto
        else:
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
