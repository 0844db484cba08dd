"""Volunteer pages (phone first): register, find activities, check in, my hours, my points, my certificates,
help requests near me; and the public certificate verification page."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicgrid.core.errors import DomainError
from civicgrid.core.scoping import managed_area_of
from civicgrid.core.web import found
from civicgrid.territory.models import Region
from civicgrid.volunteering import pdf, selectors, services
from civicgrid.volunteering.forms import RegisterForm
from civicgrid.volunteering.models import ServiceRecord, Signup, TargetGroup, Team
from civicgrid.volunteering.webutil import acting, form_key, new_key


def _volunteer_or_register(request):
    volunteer = selectors.own_volunteer(request.user)
    if volunteer is None:
        messages.info(request, _("Register as a volunteer first."))
    return volunteer


@login_required
@require_GET
def home(request):
    volunteer = selectors.own_volunteer(request.user)
    context = {"volunteer": volunteer, "is_staff": managed_area_of(request.user) is not None,
               "is_organizer": Team.objects.managed_by(request.user).exists(),
               "is_shop": request.user.role == "partner_shop"}
    if volunteer is not None:
        confirmed = volunteer.records.filter(status=ServiceRecord.Status.CONFIRMED)
        context.update(balance=volunteer.account.balance, signups=selectors.my_signups(actor=request.user)[:10],
                       minutes=confirmed.aggregate(m=Sum("minutes"))["m"] or 0)
    return render(request, "volunteering/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_volunteer(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("You are registered as a volunteer."))
            return redirect("volunteering:home")
    return render(request, "volunteering/register.html", {"form": form})


def _shift_filter(request) -> selectors.ShiftFilter:
    """?date=YYYY-MM-DD&community=<code>&group=<target group>; a malformed value is ignored."""
    try:
        day = date.fromisoformat(request.GET.get("date", "")) if request.GET.get("date") else None
    except ValueError:
        day = None
    code = request.GET.get("community", "")
    group = request.GET.get("group", "")
    return selectors.ShiftFilter(day=day, region_code=code if code.isdigit() and len(code) == 12 else "",
                                 target_group=group if group in TargetGroup.values else "")


@login_required
@require_GET
def activities(request):
    only = _shift_filter(request)
    shifts = selectors.open_shifts(actor=request.user, only=only)
    every = selectors.open_shifts(actor=request.user, limit=500)
    names = dict(Region.objects.filter(code__in={o.shift.activity.region_code for o in every}).values_list(
        "code", "name"))
    mine = {s.shift_id: s for s in selectors.my_signups(actor=request.user).exclude(status=Signup.Status.CANCELLED)}
    return render(request, "volunteering/activities.html", {
        "shifts": [{"open": o, "mine": mine.get(o.shift.pk), "community": names.get(o.shift.activity.region_code, "")}
                   for o in shifts],
        "only": only, "communities": sorted(names.items()), "groups": TargetGroup.choices,
        "is_volunteer": selectors.own_volunteer(request.user) is not None})


@login_required
@require_POST
@acting("volunteering:activities")
def sign_up(request, shift_id):
    signup = services.sign_up(actor=request.user, shift_id=shift_id)
    messages.success(request, _("You have a place.") if signup.status == "confirmed" else _("You are on the waitlist."))
    return redirect("volunteering:activities")


@login_required
@require_POST
@acting("volunteering:home")
def cancel(request, signup_id):
    services.cancel_signup(actor=request.user, signup_id=signup_id)
    messages.success(request, _("Your sign-up is cancelled."))
    return redirect("volunteering:home")


@login_required
@require_http_methods(["GET", "POST"])
@acting("volunteering:home")
def checkin(request, token):
    """The URL in the organizer's QR code: the volunteer opens it and presses the button."""
    if request.method == "POST":
        signup = services.scan(actor=request.user, token=token)
        messages.success(request, _("Checked in.") if signup.status == "checked_in" else _("Checked out."))
        return redirect("volunteering:checkin", token=token)
    return render(request, "volunteering/checkin.html", {"token": token})


@login_required
@require_GET
def my_records(request):
    if _volunteer_or_register(request) is None:
        return redirect("volunteering:register")
    records = selectors.records_for(actor=request.user).filter(volunteer__user=request.user)
    return render(request, "volunteering/my_records.html", {"records": records})


@login_required
@require_POST
@acting("volunteering:my_records")
def correction(request, record_id):
    services.request_correction(actor=request.user, record_id=record_id,
                                minutes=int(request.POST.get("minutes") or 0), reason=request.POST.get("reason", ""))
    messages.success(request, _("Your correction request was sent to the organizer."))
    return redirect("volunteering:my_records")


@login_required
@require_GET
def my_points(request):
    volunteer = _volunteer_or_register(request)
    if volunteer is None:
        return redirect("volunteering:register")
    return render(request, "volunteering/my_points.html", {
        "balance": volunteer.account.balance, "movements": selectors.statement(actor=request.user),
        "offers": selectors.offers_for(actor=request.user), "redemptions": selectors.my_redemptions(
            actor=request.user)[:20], "key": new_key()})


@login_required
@require_POST
@acting("volunteering:my_points")
def claim(request, offer_id):
    redemption = services.claim(actor=request.user, offer_id=offer_id, key=form_key(request))
    messages.success(request, _("Show this code at the shop: %(code)s") % {"code": redemption.code})
    return redirect("volunteering:my_points")


@login_required
@require_GET
def my_certificates(request):
    if _volunteer_or_register(request) is None:
        return redirect("volunteering:register")
    return render(request, "volunteering/my_certificates.html",
                  {"certificates": selectors.certificates_for(actor=request.user)})


@login_required
@require_POST
@acting("volunteering:my_certificates")
def issue_certificate(request):
    certificate = services.issue_certificate(actor=request.user)
    messages.success(request, _("Certificate %(number)s issued.") % {"number": certificate.number})
    return redirect("volunteering:my_certificates")


@login_required
@require_GET
def certificate_pdf(request, pk):
    certificate = selectors.certificates_for(actor=request.user).filter(pk=pk).first()
    if certificate is None:
        raise Http404
    url = request.build_absolute_uri(reverse("volunteering:verify", args=[certificate.token]))
    response = HttpResponse(pdf.certificate_pdf(certificate, verify_url=url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response


@require_GET
def verify(request, token):
    """Public: confirms a certificate is authentic; shows the masked holder and totals only."""
    certificate = found(selectors.certificate_by_token, token=token)
    return render(request, "volunteering/verify.html", {"certificate": certificate})


@require_GET
def verify_qr(request, token):
    certificate = found(selectors.certificate_by_token, token=token)
    url = request.build_absolute_uri(reverse("volunteering:verify", args=[certificate.token]))
    return HttpResponse(pdf.qr_png(url), content_type="image/png")


@login_required
@require_GET
def help_nearby(request):
    if _volunteer_or_register(request) is None:
        return redirect("volunteering:register")
    return render(request, "volunteering/help_nearby.html",
                  {"requests": selectors.help_requests_for(actor=request.user)[:50]})


@login_required
@require_POST
@acting("volunteering:help_nearby")
def help_accept(request, request_id):
    services.accept_help(actor=request.user, request_id=request_id)
    messages.success(request, _("Thank you: the request is yours."))
    return redirect("volunteering:help_nearby")


@login_required
@require_POST
@acting("volunteering:help_nearby")
def help_complete(request, request_id):
    services.complete_help(actor=request.user, request_id=request_id, minutes=int(request.POST.get("minutes") or 0),
                           note=request.POST.get("note", ""))
    messages.success(request, _("Recorded: the community will confirm your service."))
    return redirect("volunteering:help_nearby")
