"""White-collar events for everyone signed in: the events workstations opened for self sign-up, where a person
signs up for their company in the building and cancels, on a phone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicgrid.core.web import acting
from civicgrid.partybuilding import selectors, services
from civicgrid.partybuilding.services.signups import tenants_of
from civicgrid.partybuilding.webutil import number


@login_required
@require_GET
def events(request):
    found = list(selectors.open_events_for(actor=request.user))
    mine = selectors.own_signups(actor=request.user, events=found)
    for event in found:
        event.mine, event.tenants = mine.get(event.pk), list(tenants_of(event))
        event.left = max(event.capacity - event.signed, 0)
    return render(request, "partybuilding/events.html", {
        "events": found, "name": request.user.display_name, "now": timezone.now()})


@login_required
@require_POST
@acting("partybuilding:events")
def join(request, event_id):
    services.sign_up_self(actor=request.user, event_id=event_id, name=request.POST.get("name", ""),
                          enterprise_id=number(request, "enterprise_id"))
    messages.success(request, _("You are signed up."))
    return redirect("partybuilding:events")


@login_required
@require_POST
@acting("partybuilding:events")
def cancel(request, signup_id):
    services.cancel_own_signup(actor=request.user, signup_id=signup_id)
    messages.success(request, _("Your sign-up is cancelled."))
    return redirect("partybuilding:events")
