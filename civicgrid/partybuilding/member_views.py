"""A party member's page: the grid they serve, their commitments (add, close) and their services (own ones, and
volunteering records linked rather than copied)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicgrid.core.scoping import manages
from civicgrid.core.web import acting
from civicgrid.core.web import found as found_or_404
from civicgrid.partybuilding import selectors, services
from civicgrid.partybuilding.models import Commitment
from civicgrid.partybuilding.webutil import day, number


@login_required
@require_GET
def member(request, member_id):
    found = found_or_404(selectors.get_member, actor=request.user, member_id=member_id)
    return render(request, "partybuilding/member.html", {
        "member": found, "manager": manages(request.user, found.region_code),
        "commitments": found.commitments.all(), "services": selectors.member_services(found),
        "linkable": selectors.linkable_records(actor=request.user, member=found)[:50],
        "grids": selectors.grids_of_residence(found), "today": timezone.localdate()})


def _back(member_id):
    return redirect("partybuilding:member", member_id=member_id)


@login_required
@require_POST
@acting("partybuilding:members")
def report(request, member_id):
    services.report_to_community(actor=request.user, member_id=member_id, reported_on=day(request, "reported_on"),
                                 grid_code=request.POST.get("grid_code", ""))
    messages.success(request, _("The member serves the grid from now on."))
    return _back(member_id)


@login_required
@require_POST
@acting("partybuilding:members")
def commit(request, member_id):
    services.add_commitment(actor=request.user, member_id=member_id, year=number(request, "year"),
                            text_=request.POST.get("text", ""), hours=number(request, "hours") or 0)
    messages.success(request, _("The commitment is recorded."))
    return _back(member_id)


@login_required
@require_POST
@acting("partybuilding:members")
def close_commitment(request, commitment_id):
    made: Commitment = services.close_commitment(actor=request.user, commitment_id=commitment_id,
                                                 closed_on=day(request, "closed_on"),
                                                 outcome=request.POST.get("outcome", ""))
    messages.success(request, _("The commitment is closed."))
    return _back(made.member_id)


@login_required
@require_POST
@acting("partybuilding:members")
def record_service(request, member_id):
    services.record_service(actor=request.user, member_id=member_id, service_date=day(request, "service_date"),
                            content=request.POST.get("content", ""), minutes=number(request, "minutes"))
    messages.success(request, _("The service is recorded."))
    return _back(member_id)


@login_required
@require_POST
@acting("partybuilding:members")
def link_record(request, member_id):
    services.link_volunteer_record(actor=request.user, member_id=member_id, record_id=number(request, "record_id"))
    messages.success(request, _("The volunteering record counts for the member (once)."))
    return _back(member_id)
