"""Form values parsed into the services' types (refusals: core.web)."""

from datetime import date

from django.utils.dateparse import parse_date


def day(request, name: str) -> date | None:
    try:
        return parse_date(request.POST.get(name, ""))
    except ValueError:
        return None


def number(request, name: str, default: int = 0) -> int:
    value = request.POST.get(name, "").strip()
    return int(value) if value.isdigit() else default


def pairs(request, first: str, second: str) -> list[tuple[str, str]]:
    """Rows of two columns from repeated inputs, empty rows left out."""
    return [(a.strip(), b.strip()) for a, b in zip(request.POST.getlist(first), request.POST.getlist(second),
                                                   strict=False) if a.strip() or b.strip()]


def dated(request, first: str, second: str) -> list[tuple[str, date | None]]:
    rows = []
    for value, when in pairs(request, first, second):
        try:
            rows.append((value, parse_date(when)))
        except ValueError:
            rows.append((value, None))
    return rows


def prefixed(request, prefix: str) -> dict[str, str]:
    """{suffix: value} of the POSTed fields named prefix + suffix."""
    return {key[len(prefix):]: value for key, value in request.POST.items() if key.startswith(prefix) and value}
