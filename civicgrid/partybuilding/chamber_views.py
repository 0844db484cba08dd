"""Chambers of commerce: the list with a form to found one, and a chamber's page where its member enterprises,
buildings, party organization, registry entry and activities are kept."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicgrid.core import audit
from civicgrid.core.scoping import area_of, managed_area_of, manages
from civicgrid.core.web import acting
from civicgrid.core.web import found as found_or_404
from civicgrid.organizations import selectors as registry
from civicgrid.partybuilding import exporting, selectors, services
from civicgrid.partybuilding.views import _staff_only
from civicgrid.partybuilding.webutil import day, ids, number


def _choices(user) -> dict:
    return {"parties": selectors.organizations_for(actor=user)[:300],
            "registry": registry.organizations_for(actor=user)[:300]}


@login_required
def chambers(request):
    _staff_only(request.user)
    if request.method == "POST":
        return _create(request)
    return render(request, "partybuilding/chambers.html", {
        "chambers": selectors.chambers_for(actor=request.user),
        "buildings": selectors.buildings_for(actor=request.user),
        "manager": managed_area_of(request.user) is not None, **_choices(request.user)})


@acting("partybuilding:chambers")
def _create(request):
    chamber = services.create_chamber(actor=request.user, name=request.POST.get("name", ""),
                                      building_ids=ids(request, "building_ids"),
                                      organization_id=number(request, "organization_id"),
                                      registry_entry_id=number(request, "registry_entry_id"),
                                      credit_code=request.POST.get("credit_code", ""),
                                      founded_on=day(request, "founded_on"))
    messages.success(request, _("The chamber of commerce is founded."))
    return redirect("partybuilding:chamber", chamber_id=chamber.pk)


@login_required
@require_GET
def chambers_export(request):
    _staff_only(request.user)
    found = selectors.chambers_for(actor=request.user)
    with transaction.atomic():
        audit.record(actor=request.user, action="partybuilding.chambers.export", region_code=area_of(request.user),
                     detail={"rows": found.count()})
    return exporting.chambers_workbook(found)


@login_required
@require_GET
def chamber(request, chamber_id):
    found = found_or_404(selectors.get_chamber, actor=request.user, chamber_id=chamber_id)
    linked = {b.pk for b in found.buildings.all()}
    return render(request, "partybuilding/chamber.html", {
        "chamber": found, "manager": manages(request.user, found.region_code), "today": timezone.localdate(),
        "candidates": selectors.candidate_members(actor=request.user, chamber=found),
        "buildings": [b for b in selectors.buildings_for(actor=request.user) if b.pk not in linked],
        **_choices(request.user)})


def _back(chamber_id):
    return redirect("partybuilding:chamber", chamber_id=chamber_id)


@login_required
@require_POST
@acting("partybuilding:chambers")
def add_member(request, chamber_id):
    services.add_chamber_member(actor=request.user, chamber_id=chamber_id,
                                enterprise_id=number(request, "enterprise_id"))
    messages.success(request, _("The enterprise joined the chamber."))
    return _back(chamber_id)


@login_required
@require_POST
@acting("partybuilding:chambers")
def remove_member(request, chamber_id):
    services.remove_chamber_member(actor=request.user, chamber_id=chamber_id,
                                   enterprise_id=number(request, "enterprise_id"))
    messages.success(request, _("The enterprise left the chamber."))
    return _back(chamber_id)


@login_required
@require_POST
@acting("partybuilding:chambers")
def link_building(request, chamber_id):
    services.link_chamber_building(actor=request.user, chamber_id=chamber_id,
                                   building_id=number(request, "building_id"))
    messages.success(request, _("The building is linked to the chamber."))
    return _back(chamber_id)


@login_required
@require_POST
@acting("partybuilding:chambers")
def unlink_building(request, chamber_id):
    services.unlink_chamber_building(actor=request.user, chamber_id=chamber_id,
                                     building_id=number(request, "building_id"))
    messages.success(request, _("The building is no longer linked to the chamber."))
    return _back(chamber_id)


@login_required
@require_POST
@acting("partybuilding:chambers")
def link(request, chamber_id):
    services.link_chamber(actor=request.user, chamber_id=chamber_id, organization_id=number(request, "organization_id"),
                          registry_entry_id=number(request, "registry_entry_id"))
    messages.success(request, _("The chamber's links are saved."))
    return _back(chamber_id)


@login_required
@require_POST
@acting("partybuilding:chambers")
def add_activity(request, chamber_id):
    services.add_chamber_activity(actor=request.user, chamber_id=chamber_id, title=request.POST.get("title", ""),
                                  held_on=day(request, "held_on"))
    messages.success(request, _("The activity is logged."))
    return _back(chamber_id)
