"""The audit log as auditors read it: who may see which events, the filters, and the xlsx export.

Who sees what (AuditEvent.objects, civicgrid/core/models.py):
- district office staff and superusers: every event of the district, including those about no area
  (sign-ins, imports, administration);
- subdistrict and community staff: the events about records of their own area (whoever acted) and their own
  actions; never a neighbouring area's;
- everyone else (grid workers, residents, units, organizations, shops): no audit page (404).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from openpyxl import Workbook

from civicgrid.core import audit, registry
from civicgrid.core.audit_labels import (
    action_choices,
    action_known,
    action_label,
    detail_parts,
    detail_text,
    target_known,
    target_label,
)
from civicgrid.core.errors import NotFound
from civicgrid.core.exports import safe_row
from civicgrid.core.models import AuditEvent
from civicgrid.core.scoping import managed_area_of

EXPORT_LIMIT = 20_000


def events_for(actor) -> QuerySet[AuditEvent]:
    """The events the actor may read, newest first; NotFound for someone who is not an auditor of an area."""
    if managed_area_of(actor) is None:
        raise NotFound()
    return AuditEvent.objects.managed_by(actor).order_by("-at", "-id")


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=gettext_lazy("Who"), required=False, max_length=150,
                            widget=forms.TextInput(attrs={"placeholder": gettext_lazy("account name")}))
    action = forms.ChoiceField(label=pgettext_lazy("audit log", "Action"), required=False)
    target = forms.CharField(label=gettext_lazy("Object"), required=False, max_length=64,
                             widget=forms.TextInput(attrs={"placeholder": gettext_lazy("number, e.g. 42")}))
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), required=False)
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions"))] + action_choices()
        self.fields["outcome"].choices = [("", _("All outcomes")), *AuditEvent.Outcome.choices]


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def apply_filters(events: QuerySet[AuditEvent], data: dict) -> QuerySet[AuditEvent]:
    if data.get("actor"):
        events = events.filter(actor_name__icontains=data["actor"])
    if data.get("action"):
        events = events.filter(action=data["action"])
    if data.get("target"):
        events = events.filter(target_id=data["target"])
    if data.get("outcome"):
        events = events.filter(outcome=data["outcome"])
    if data.get("start"):
        events = events.filter(at__gte=_day_start(data["start"]))
    if data.get("end"):
        events = events.filter(at__lt=_day_start(data["end"]) + timedelta(days=1))
    return events


@dataclass
class Row:
    event: AuditEvent
    at: datetime
    actor: str
    role: str
    action: str
    target: str
    region: str
    outcome: str
    detail: str
    parts: list
    action_in_words: bool
    target_in_words: bool


def _role_labels() -> dict[str, str]:
    field = get_user_model()._meta.get_field("role")
    return {value: str(label) for value, label in field.choices or []}


def rows(events) -> list[Row]:
    """Events in words: actions, roles, objects and regions by name, times in local time."""
    events = list(events)
    roles = _role_labels()
    regions = registry.region_names({e.region_code for e in events if e.region_code})
    out = []
    for e in events:
        target = " ".join(filter(None, [target_label(e.target_type), f"#{e.target_id}" if e.target_id else ""]))
        out.append(Row(event=e, at=timezone.localtime(e.at), actor=e.actor_name or _("the system"),
                       role=roles.get(e.actor_role, e.actor_role), action=action_label(e.action), target=target,
                       region=regions.get(e.region_code, e.region_code), outcome=e.get_outcome_display(),
                       detail=detail_text(e.action, e.detail), parts=detail_parts(e.action, e.detail),
                       action_in_words=action_known(e.action),
                       target_in_words=not e.target_type or target_known(e.target_type)))
    return out


def export_xlsx(*, actor, events: QuerySet[AuditEvent], filters: dict) -> bytes:
    """The filtered events as a workbook (every text cell formula-safe); the export is itself audited."""
    book = Workbook()
    sheet = book.active
    sheet.title = "audit"
    sheet.append([_("Time"), _("Who"), _("Role"), pgettext("audit log", "Action"), _("Action code"), _("Object"),
                  _("Area"), _("Outcome"), _("IP address"), _("Details")])
    selected = rows(events[:EXPORT_LIMIT])
    for row in selected:
        sheet.append(safe_row([row.at.replace(tzinfo=None), row.actor, row.role, row.action, row.event.action,
                               row.target, row.region, row.outcome, row.event.ip, row.detail]))
    for cell in sheet["A"][1:]:
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    with transaction.atomic():
        audit.record(actor=actor, action="core.audit.export", region_code="",
                     detail={"rows": len(selected), **{k: str(v) for k, v in filters.items() if v}})
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
