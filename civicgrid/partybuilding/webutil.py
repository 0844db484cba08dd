"""Form values parsed into the services' types (refusals are handled by core.web)."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime


def ids(request, name: str) -> list[int]:
    return [int(v) for v in request.POST.getlist(name) if v.isdigit()]


def number(request, name: str) -> int | None:
    value = request.POST.get(name, "").strip()
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


def rows(request, *names: str) -> list[dict]:
    """Repeated form fields (name[] pairs) as a list of dicts, empty rows dropped."""
    columns = [request.POST.getlist(name) for name in names]
    found = []
    for values in zip(*columns, strict=False):
        if any(v.strip() for v in values):
            found.append(dict(zip(names, (v.strip() for v in values), strict=True)))
    return found
