"""Pages: the inbox (mark read), the preferences, the unsubscribe link of the e-mails."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.core.errors import DomainError
from civicgrid.notifications import selectors, services
from civicgrid.notifications.models import Digest
from civicgrid.notifications.registry import Channel


@login_required
def inbox(request):
    notes = list(selectors.inbox(actor=request.user)[:100])
    return render(request, "notifications/inbox.html", {"notes": notes})


@login_required
@require_POST
def mark_read(request):
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    services.mark_read(actor=request.user, notification_ids=ids or None)
    return redirect("notifications:inbox")


CHANNEL_LABELS = {Channel.EMAIL: "E-mail", Channel.SMS: "SMS", Channel.WECHAT: "WeChat"}


@login_required
def preferences(request):
    kinds = selectors.kinds_for(actor=request.user)
    if request.method == "POST":
        choices = {k.name: request.POST.getlist(f"kind:{k.name}") for k in kinds if not k.mandatory}
        try:
            services.set_preferences(actor=request.user, choices=choices, digest=request.POST.get("digest"),
                                     muted=request.POST.get("muted") == "on")
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    current = selectors.preferences(actor=request.user)
    rows = [{"kind": k, "label": _row_label(k.text(request.LANGUAGE_CODE, {})), "channels": current[k.name]}
            for k in kinds]
    return render(request, "notifications/preferences.html", {
        "rows": rows,
        "channels": [(Channel.EMAIL, _("E-mail")), (Channel.SMS, _("SMS")), (Channel.WECHAT, _("WeChat"))],
        "contact": selectors.contact(actor=request.user), "digests": Digest.choices})


def _row_label(text: str) -> str:
    """An event's text as a row label: its parameters ({number}, {activity}) shown as "…"."""
    return re.sub(r"\{\w+\}", "…", text.splitlines()[0])


def unsubscribe(request, token: str):
    """GET asks, POST does (mail scanners follow links; they must not unsubscribe anyone)."""
    if request.method == "POST":
        try:
            services.unsubscribe(token=token)
        except DomainError:
            return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
        return render(request, "notifications/unsubscribe.html", {"done": True})
    return render(request, "notifications/unsubscribe.html", {"token": token})
