"""Shared helpers of the organizations pages."""

from datetime import date

from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone

from civicgrid.core.scoping import managed_area_of
from civicgrid.organizations.services.common import own_organization

PAGE_SIZE = 50


def page_of(request, queryset, per_page: int = PAGE_SIZE):
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def require_office(request):
    if managed_area_of(request.user) is None and not request.user.is_staff_role:
        raise Http404


def require_org(request):
    org = own_organization(request.user)
    if org is None:
        raise Http404
    return org


def post_int(request, name: str) -> int | None:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        return None


def get_int(request, name: str) -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


def local_datetime(value: str):
    """`<input type="datetime-local">` in Asia/Shanghai to an aware datetime (None when empty or malformed)."""
    from datetime import datetime

    try:
        return timezone.make_aware(datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return None


def recent_years(count: int = 3) -> list[int]:
    this = date.today().year
    return [this - n for n in range(1, count + 1)]
