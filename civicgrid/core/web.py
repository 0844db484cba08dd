"""What every module's pages share about refusals: a record out of sight is a 404, an action the actor may not
take on a visible record a 403, and any other refusal (bad input, wrong state) a message beside the form."""

import functools

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect

from civicgrid.core.errors import DomainError, NotFound, PermissionDenied
from civicgrid.core.redirects import safe_next
from civicgrid.core.views import refusal


def found(fn, **kwargs):
    """`fn(**kwargs)`, a selector that raises NotFound, as a page's 404."""
    try:
        return fn(**kwargs)
    except NotFound:
        raise Http404 from None


def acting(fallback: str, *, send: dict[type[DomainError], str] | None = None):
    """For POST views: run the action. Refusals about the record answer 404/403; `send` maps a refusal about the
    actor to the page where they can become allowed (e.g. not yet a volunteer → the registration page); any
    other refusal is flashed and the user goes back to `next` (or `fallback`)."""

    def wrap(view):
        @functools.wraps(view)
        def inner(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except DomainError as error:
                for kind, page in (send or {}).items():
                    if isinstance(error, kind):
                        messages.error(request, error.message)
                        return redirect(page)
                if isinstance(error, NotFound | PermissionDenied):
                    return refusal(request, error)
                messages.error(request, error.message)
                return redirect(safe_next(request, fallback))

        return inner

    return wrap
