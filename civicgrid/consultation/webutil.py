"""Helpers of the consultation pages: form values parsed into the services' types (refusals: core.web)."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime


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
