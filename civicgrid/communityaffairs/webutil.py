"""Form values parsed into the services' types (refusals are handled by core.web)."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime


def number(request, name: str) -> int | None:
    value = (request.POST.get(name) or request.GET.get(name) or "").strip()
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


def year_of(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year
