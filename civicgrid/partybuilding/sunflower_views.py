"""Joint-building partners (共建单位) of party organizations, and the "10+N" list: the year's model enterprises,
what each linked unit pledged (rooms, vehicles, services, money) and each use, with an xlsx export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicgrid.core import audit
from civicgrid.core.scoping import area_of
from civicgrid.core.web import acting
from civicgrid.partybuilding import exporting, selectors, services
from civicgrid.partybuilding.views import _staff_only
from civicgrid.partybuilding.webutil import number


@login_required
@require_POST
@acting("partybuilding:organizations")
def add_partner(request):
    services.add_partner(actor=request.user, organization_id=number(request, "organization_id"),
                         name=request.POST.get("name", ""), pledge=request.POST.get("pledge", ""))
    messages.success(request, _("The joint-building partner is added."))
    return redirect("partybuilding:organizations")


@login_required
@require_POST
@acting("partybuilding:sunflower")
def name_model(request):
    services.name_model_enterprise(actor=request.user, enterprise_id=number(request, "enterprise_id"),
                                   year=number(request, "year"), rank=number(request, "rank"))
    messages.success(request, _("The model enterprise is named."))
    return redirect("partybuilding:sunflower")


@login_required
@require_POST
@acting("partybuilding:sunflower")
def add_pledge(request, model_id):
    services.add_pledge(actor=request.user, model_id=model_id, unit=request.POST.get("unit", ""),
                        kind=request.POST.get("kind", ""), description=request.POST.get("description", ""),
                        amount=number(request, "amount"))
    messages.success(request, _("The pledge is recorded."))
    return redirect("partybuilding:sunflower")


@login_required
@require_GET
def pledges_export(request):
    _staff_only(request.user)
    found = list(selectors.models_for(actor=request.user))
    with transaction.atomic():
        audit.record(actor=request.user, action="partybuilding.pledges.export", region_code=area_of(request.user),
                     detail={"models": len(found)})
    return exporting.pledges_workbook(found)
