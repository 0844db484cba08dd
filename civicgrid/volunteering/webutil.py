"""Shared helpers of the volunteering pages: domain errors become flash messages or 404s."""

import functools
import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect

from civicgrid.core.errors import DomainError, NotFound, PermissionDenied
from civicgrid.core.redirects import safe_next
from civicgrid.core.views import refusal
from civicgrid.volunteering.selectors import NotAVolunteer


def acting(fallback: str):
    """For POST views: run the action; on a refusal flash the message and go back to `fallback`."""

    def wrap(view):
        @functools.wraps(view)
        def inner(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except NotAVolunteer as error:  # about the actor, not the record: show where to become one
                messages.error(request, error.message)
                return redirect("volunteering:register")
            except (NotFound, PermissionDenied) as error:
                return refusal(request, error)
            except DomainError as error:
                messages.error(request, error.message)
                return redirect(safe_next(request, fallback))

        return inner

    return wrap


def found(fn, **kwargs):
    try:
        return fn(**kwargs)
    except NotFound:
        raise Http404 from None


def form_key(request) -> str:
    """The idempotency key a form carries (a hidden field rendered with the page), so a double submit or
    a reload of the POST replays instead of redeeming twice."""
    key = request.POST.get("key", "")
    return key if 8 <= len(key) <= 80 else uuid.uuid4().hex


def new_key() -> str:
    return uuid.uuid4().hex
