"""Form values parsed into the services' types (refusals are handled by core.web), and the community a staff
page shows."""

from datetime import date, datetime

from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from civicgrid.communityaffairs import selectors
from civicgrid.core.scoping import area_of


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


def staff_communities(request) -> list:
    """The communities a staff page may show; residents and others without an area get a 404."""
    if area_of(request.user) is None:
        raise Http404
    return selectors.communities(actor=request.user)


def chosen_code(request, communities) -> str:
    """The community asked for (`code`, or a form's `community`), else the first; another area's is a 404."""
    code = request.GET.get("code") or request.POST.get("community") or ""
    if not code and communities:
        code = communities[0].code
    if code and not any(c.code == code for c in communities):
        raise Http404
    return code
