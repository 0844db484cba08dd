"""Where to send the user back to: a `next` they supplied only when it stays on this site."""

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, fallback: str) -> str:
    """The request's `next` (form field, else query string) if it points at this host, else `fallback` (a URL
    or a URL name). An open redirect would let a link on our domain forward a user to a look-alike site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return resolve_url(fallback)
