"""One-stop pages: the public catalogue and guides, a resident's booking on a phone and his appointments, and the
window's desk (today's bookings, walk-ins, finishing an application or passing it on as a case)."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicgrid.communityaffairs import selectors, services
from civicgrid.communityaffairs.models import Handling, ServiceItem
from civicgrid.communityaffairs.webutil import moment, number
from civicgrid.core.errors import DomainError
from civicgrid.core.scoping import managed_area_of
from civicgrid.core.web import acting, found
from civicgrid.people.models import SpecialGroup
from civicgrid.territory.models import Level, Region

BOOKING_DAYS = 10


def _public_communities():
    return list(Region.objects.filter(level=Level.COMMUNITY).order_by("code").values("code", "name"))


def _community(request) -> str:
    code = request.GET.get("code") or request.POST.get("community") or ""
    if code and not Region.objects.filter(level=Level.COMMUNITY, code=code).exists():
        raise Http404
    return code


def _groups(item: ServiceItem) -> list[str]:
    labels = dict(SpecialGroup.choices)
    return [str(labels.get(group, group)) for group in item.eligible_groups]


@require_GET
def catalogue(request):
    code = _community(request)
    items = list(selectors.catalogue(code=code)) if code else []
    return render(request, "communityaffairs/catalogue.html", {
        "communities": _public_communities(), "code": code, "items": [(item, _groups(item)) for item in items]})


@require_GET
def guide(request, item_id):
    item = found(selectors.get_item, item_id=item_id)
    return render(request, "communityaffairs/guide.html", {
        "item": item, "groups": _groups(item), "code": _community(request),
        "documents": ServiceItem.lines(item.documents), "steps": ServiceItem.lines(item.steps)})


def _slot_days(code: str) -> list[tuple]:
    today = timezone.localdate()
    days = []
    for offset in range(BOOKING_DAYS):
        slots = services.free_slots(community=code, day=today + timedelta(days=offset))
        if slots:
            days.append((today + timedelta(days=offset), slots))
    return days


@login_required
@require_http_methods(["GET", "POST"])
def book(request, item_id):
    item = found(selectors.get_item, item_id=item_id)
    code = _community(request)
    if not code or not selectors.catalogue(code=code).filter(pk=item.pk).exists():
        raise Http404
    error = None
    if request.method == "POST":
        try:
            services.book(actor=request.user, community=code, item_id=item.pk, starts_at=moment(request, "slot"),
                          applicant=request.POST.get("applicant", ""), phone=request.POST.get("phone", ""),
                          id_number=request.POST.get("id_number", ""))
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(request, _("Your appointment is booked."))
            return redirect("communityaffairs:mine")
    return render(request, "communityaffairs/book.html", {
        "item": item, "code": code, "days": _slot_days(code), "groups": _groups(item), "error": error,
        "community": Region.objects.get(code=code), "values": request.POST})


@login_required
@require_GET
def mine(request):
    return render(request, "communityaffairs/mine.html",
                  {"appointments": selectors.my_appointments(actor=request.user)[:50]})


@login_required
@require_POST
@acting("communityaffairs:mine")
def cancel(request, appointment_id):
    services.cancel(actor=request.user, appointment_id=appointment_id)
    return redirect("communityaffairs:mine")


@login_required
@require_GET
def window(request):
    if managed_area_of(request.user) is None:
        raise Http404
    communities = selectors.communities(actor=request.user)
    code = request.GET.get("code") or (communities[0].code if communities else "")
    if code and not any(c.code == code for c in communities):
        raise Http404
    open_rows = selectors.handlings(actor=request.user, code=code).filter(result=Handling.Result.OPEN) if code else []
    done_rows = (selectors.handlings(actor=request.user, code=code).exclude(result=Handling.Result.OPEN)[:30]
                 if code else [])
    return render(request, "communityaffairs/window.html", {
        "communities": communities, "code": code,
        "appointments": selectors.window_appointments(actor=request.user, code=code) if code else [],
        "open": open_rows, "done": done_rows, "items": selectors.catalogue(code=code) if code else []})


def _window(code: str) -> str:
    return f"{reverse('communityaffairs:window')}?code={code}"


@login_required
@require_POST
@acting("communityaffairs:window")
def walk_in(request):
    made = services.receive_walk_in(actor=request.user, community=request.POST.get("community", ""),
                                    item_id=number(request, "item") or 0, applicant=request.POST.get("applicant", ""),
                                    resident_id=number(request, "resident"))
    return redirect(_window(made.region_code))


@login_required
@require_POST
@acting("communityaffairs:window")
def receive(request, appointment_id):
    made = services.receive_appointment(actor=request.user, appointment_id=appointment_id)
    return redirect(_window(made.region_code))


@login_required
@require_POST
@acting("communityaffairs:window")
def finish(request, handling_id):
    made = services.finish(actor=request.user, handling_id=handling_id, result=request.POST.get("result", ""),
                           note=request.POST.get("note", ""))
    return redirect(_window(made.region_code))


@login_required
@require_POST
@acting("communityaffairs:window")
def to_case(request, handling_id):
    made = services.pass_to_case(actor=request.user, handling_id=handling_id,
                                 description=request.POST.get("description", ""))
    return redirect(_window(made.region_code))
