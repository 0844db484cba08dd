"""The workforce's social-worker certificates: list with expiry flags, add, correct, remove, xlsx export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicgrid.communityaffairs import exporting, figures, selectors, services
from civicgrid.communityaffairs.models import Qualification
from civicgrid.communityaffairs.webutil import chosen_code, day, number, staff_communities
from civicgrid.core.scoping import manages
from civicgrid.core.web import acting, found
from civicgrid.people.models import StaffMember


def _back(code: str) -> str:
    return f"{reverse('communityaffairs:qualifications')}?code={code}"


def _fields(request) -> dict:
    return {"level": request.POST.get("level", ""), "certificate_no": request.POST.get("certificate_no", ""),
            "issued_on": day(request, "issued_on"), "expires_on": day(request, "expires_on")}


@login_required
@require_GET
def qualifications(request):
    communities = staff_communities(request)
    code = chosen_code(request, communities)
    rows = selectors.qualifications(actor=request.user, code=code) if code else []
    return render(request, "communityaffairs/qualifications.html", {
        "communities": communities, "code": code, "rows": rows, "levels": Qualification.Level.choices,
        "manager": bool(code) and manages(request.user, code), "within_days": figures.EXPIRING_WITHIN_DAYS,
        "workers": StaffMember.objects.managed_by(request.user).filter(region_code=code, body__in=figures.BODIES)
        .order_by("name") if code else []})


@login_required
@require_POST
@acting("communityaffairs:qualifications")
def add(request):
    made = services.add_qualification(actor=request.user, staff_id=number(request, "staff") or 0, **_fields(request))
    messages.success(request, _("The certificate is recorded."))
    return redirect(_back(made.region_code))


@login_required
@require_POST
@acting("communityaffairs:qualifications")
def edit(request, qualification_id):
    changed = services.update_qualification(actor=request.user, qualification_id=qualification_id,
                                            **_fields(request))
    messages.success(request, _("The certificate is corrected."))
    return redirect(_back(changed.region_code))


@login_required
@require_POST
@acting("communityaffairs:qualifications")
def remove(request, qualification_id):
    record = found(selectors.get_qualification, actor=request.user, qualification_id=qualification_id)
    services.remove_qualification(actor=request.user, qualification_id=qualification_id)
    messages.success(request, _("The certificate is removed."))
    return redirect(_back(record.region_code))


@login_required
@require_GET
def export(request):
    staff_communities(request)
    response = HttpResponse(exporting.qualifications_bytes(actor=request.user), content_type=exporting.XLSX)
    response["Content-Disposition"] = 'attachment; filename="qualifications.xlsx"'
    return response
