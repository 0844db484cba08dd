"""Helpers of the consultation pages: refusals about a record are 404/403 pages, other refusals flash beside
the form; form values parsed into the services' types."""

import functools
from datetime import date, datetime

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from civicgrid.core.errors import DomainError, NotFound, PermissionDenied
from civicgrid.core.redirects import safe_next
from civicgrid.core.views import refusal


def acting(fallback: str):
    """For POST views: run the action; a refusal about the record answers 404/403, any other one is flashed and
    the user goes back to `next` (or `fallback`)."""

    def wrap(view):
        @functools.wraps(view)
        def inner(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except (NotFound, PermissionDenied) as error:
                return refusal(request, error)
            except DomainError as error:
                messages.error(request, error.message)
                return redirect(safe_next(request, fallback))

        return inner

    return wrap


def ids(request, name: str) -> list[int]:
    return [int(v) for v in request.POST.getlist(name) if v.isdigit()]


def number(request, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else None


def day(request, name: str) -> date | None:
    try:
        return parse_date(request.POST.get(name, ""))
    except ValueError:
        return None


def moment(request, name: str) -> datetime | None:
    try:
        value = parse_datetime(request.POST.get(name, ""))
    except ValueError:
        return None
    return timezone.make_aware(value) if value is not None and timezone.is_naive(value) else value
