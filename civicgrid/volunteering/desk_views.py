"""Desks: the organizer's (activities, shift QR codes, attendance, records, corrections, CSV export), the
partner shop's (confirm codes, offers, settlement) and the community's (statistics, verification, shops,
help requests with proposed volunteers)."""

import time
from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicgrid.core.errors import ValidationFailed
from civicgrid.core.scoping import managed_area_of
from civicgrid.core.web import found
from civicgrid.volunteering import exporting, matching, pdf, selectors, services, stats
from civicgrid.volunteering.forms import ActivityForm, HelpForm, OfferForm, ShopForm
from civicgrid.volunteering.hours import hours_text
from civicgrid.volunteering.models import Shift, Signup
from civicgrid.volunteering.services.shops import shop_of
from civicgrid.volunteering.webutil import acting

# --- organizer desk -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def organizer_desk(request):
    teams = list(selectors.managed_teams(actor=request.user))
    if not teams and managed_area_of(request.user) is None:
        raise Http404
    form = ActivityForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        return _create_activity(request, form)
    shifts = (Shift.objects.filter(activity__team__in=teams).select_related("activity").order_by("-starts_at")[:30])
    return render(request, "volunteering/organizer_desk.html", {
        "teams": teams, "form": form, "shifts": shifts,
        "pending": selectors.records_for(actor=request.user, status="pending").filter(team__in=teams)[:50],
        "corrections": selectors.open_corrections(actor=request.user)[:50]})


@acting("volunteering:organizer_desk")
def _create_activity(request, form):
    data = form.cleaned_data
    activity = services.create_activity(actor=request.user, team_id=int(data["team"]), title=data["title"],
                                        place_name=data["place_name"], target_groups=data["target_groups"])
    services.add_shift(actor=request.user, activity_id=activity.pk, starts_at=data["starts_at"],
                       ends_at=data["ends_at"], capacity=data["capacity"])
    messages.success(request, _("Activity published."))
    return redirect("volunteering:organizer_desk")


@login_required
@require_GET
def shift_desk(request, shift_id):
    shift = found(selectors.shift_for_organizer, actor=request.user, shift_id=shift_id)
    url = request.build_absolute_uri(reverse("volunteering:checkin", args=[shift.checkin_token]))
    now = timezone.now()
    return render(request, "volunteering/shift_desk.html", {
        "shift": shift, "checkin_url": url, "signups": shift.signups.select_related("volunteer"), "now": now,
        "ended": shift.ends_at <= now})


@login_required
@require_GET
def shift_qr(request, shift_id):
    shift = found(selectors.shift_for_organizer, actor=request.user, shift_id=shift_id)
    url = request.build_absolute_uri(reverse("volunteering:checkin", args=[shift.checkin_token]))
    return HttpResponse(pdf.qr_png(url), content_type="image/png")


@login_required
@require_POST
@acting("volunteering:organizer_desk")
def cancel_shift(request, shift_id):
    found(selectors.shift_for_organizer, actor=request.user, shift_id=shift_id)  # another team's shift: 404
    shift = services.cancel_shift(actor=request.user, shift_id=shift_id, reason=request.POST.get("reason", ""))
    messages.success(request, _("The shift is called off; everyone signed up has been told."))
    return redirect("volunteering:shift_desk", shift_id=shift.pk)


@login_required
@require_POST
@acting("volunteering:organizer_desk")
def confirm_attendance(request, signup_id):
    record = services.confirm_attendance(actor=request.user, signup_id=signup_id)
    messages.success(request, _("Attendance confirmed: %(hours)s recorded.") % {"hours": hours_text(record.minutes)})
    shift_id = Signup.objects.values_list("shift_id", flat=True).get(pk=signup_id)
    return redirect("volunteering:shift_desk", shift_id=shift_id)


@login_required
@require_POST
@acting("volunteering:organizer_desk")
def decide_record(request, record_id):
    if request.POST.get("decision") == "confirm":
        services.confirm_record(actor=request.user, record_id=record_id)
        messages.success(request, _("Record confirmed."))
    else:
        services.deny_record(actor=request.user, record_id=record_id, reason=request.POST.get("reason", ""))
        messages.success(request, _("Record denied."))
    return redirect("volunteering:organizer_desk")


@login_required
@require_POST
@acting("volunteering:organizer_desk")
def decide_correction(request, correction_id):
    services.decide_correction(actor=request.user, correction_id=correction_id,
                               accept=request.POST.get("decision") == "accept")
    messages.success(request, _("Correction decided."))
    return redirect("volunteering:organizer_desk")


@login_required
@require_GET
def records_export(request):
    response = HttpResponse(exporting.records_csv(actor=request.user), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="service-records-{time.strftime("%Y%m%d")}.csv"'
    return response


# --- shop desk ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def shop_desk(request):
    shop = found(shop_of, actor=request.user)
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _create_offer(request, form)
    year, month = _report_period(request)
    report = found(selectors.settlement, actor=request.user, shop_id=shop.pk, year=year, month=month)
    return render(request, "volunteering/shop_desk.html", {
        "shop": shop, "form": form, "offers": shop.offers.all(), "report": report,
        "redemptions": selectors.shop_redemptions(actor=request.user)[:30], "balance": shop.account.balance})


def _report_period(request) -> tuple[int, int]:
    """The shop desk's ?year=&month=: a malformed value falls back to the current month, with a message."""
    today = timezone.localdate()
    try:
        year, month = int(request.GET.get("year") or today.year), int(request.GET.get("month") or today.month)
        return date(year, month, 1).year, month
    except ValueError:
        messages.error(request, _("Choose a month between 1 and 12 of a valid year."))
        return today.year, today.month


@acting("volunteering:shop_desk")
def _create_offer(request, form):
    services.create_offer(actor=request.user, **form.cleaned_data)
    messages.success(request, _("Offer published."))
    return redirect("volunteering:shop_desk")


@login_required
@require_POST
@acting("volunteering:shop_desk")
def shop_confirm(request):
    redemption = services.confirm_redemption(actor=request.user, code=request.POST.get("code", ""))
    messages.success(request, _("Redeemed: %(title)s for %(points)s points.") % {
        "title": redemption.offer.title, "points": redemption.points})
    return redirect("volunteering:shop_desk")


# --- community desk ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def community_desk(request):
    if managed_area_of(request.user) is None:
        raise Http404
    shop_form, help_form = ShopForm(prefix="shop"), HelpForm(prefix="help")
    return render(request, "volunteering/community_desk.html", {
        "summary": stats.summary(actor=request.user), "shop_form": shop_form, "help_form": help_form,
        "unverified": selectors.volunteers_for(actor=request.user).filter(verified_at__isnull=True)[:50],
        "shops": selectors.shops_for(actor=request.user),
        "requests": selectors.help_requests_for(actor=request.user).exclude(status="completed")[:50]})


@login_required
@require_POST
@acting("volunteering:community_desk")
def verify_volunteer(request, volunteer_id):
    services.verify_volunteer(actor=request.user, volunteer_id=volunteer_id)
    messages.success(request, _("Volunteer verified."))
    return redirect("volunteering:community_desk")


@login_required
@require_POST
@acting("volunteering:community_desk")
def register_shop(request):
    form = ShopForm(request.POST, prefix="shop")
    if not form.is_valid():
        messages.error(request, _("Check the shop form."))
        return redirect("volunteering:community_desk")
    services.register_shop(actor=request.user, **form.cleaned_data)
    messages.success(request, _("Shop registered."))
    return redirect("volunteering:community_desk")


@login_required
@require_POST
@acting("volunteering:community_desk")
def ask_help(request):
    form = HelpForm(request.POST, prefix="help")
    if not form.is_valid():
        messages.error(request, _("Check the help request form."))
        return redirect("volunteering:community_desk")
    services.ask_for_help(actor=request.user, **form.cleaned_data)
    messages.success(request, _("Help request published to volunteers nearby."))
    return redirect("volunteering:community_desk")


@login_required
@require_GET
def help_candidates(request, request_id):
    help_request = found(selectors.help_request_detail, actor=request.user, request_id=request_id)
    if managed_area_of(request.user) is None:
        raise Http404
    return render(request, "volunteering/help_candidates.html", {
        "request_obj": help_request, "candidates": matching.candidates(help_request)})


def _month(text: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise ValidationFailed(_("Write the month as YYYY-MM, e.g. 2026-03."), code="invalid_month",
                               field="month") from None


@login_required
@require_POST
@acting("volunteering:community_desk")
def settle(request, shop_id):
    selectors.managed_shop(actor=request.user, shop_id=shop_id)  # out of sight first: 404 whatever the month
    month = _month(request.POST.get("month") or request.GET.get("month") or "")
    transfer = services.settle_month(actor=request.user, shop_id=shop_id, month=month)
    messages.success(request, _("Settled %(points)s points.") % {"points": transfer.amount if transfer else 0})
    return redirect("volunteering:community_desk")


