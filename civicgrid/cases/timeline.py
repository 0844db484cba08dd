"""A case's events in words people understand ("已受理", "已派给 区城管委", "已办结"), never state codes.

Residents see the steps that concern them, without staff names or internal notes; staff see every step with
who took it and the note."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import pgettext

from civicgrid.cases.models import HandlingUnit, Satisfaction

# events a resident does not need: internal flags and bookkeeping
STAFF_ONLY = {"escalate", "park_review", "urgent", "merged_in", "publication", "merge"}
# events whose note a resident reads (the unit's answer, the reason for a refusal or a pause)
NOTES_FOR_RESIDENTS = {"reply", "reject", "park", "void", "rate", "reopen"}


@dataclass(frozen=True)
class Step:
    at: datetime
    text: str
    note: str = ""
    who: str = ""


def _unit_name(event, case, units: dict[int, str]) -> str:
    unit_id = event.data.get("unit_id") if isinstance(event.data, dict) else None
    if unit_id and str(unit_id).isdigit() and int(unit_id) in units:
        return units[int(unit_id)]
    return case.unit.name if case.unit_id and case.unit else ""


def _text(event, case, units) -> str:
    kind = event.kind
    if kind in ("dispatch", "redispatch"):
        unit = _unit_name(event, case, units)
        if unit:
            return pgettext("case timeline", "Sent to %(unit)s") % {"unit": unit}
    if kind == "rate" and isinstance(event.data, dict) and event.data.get("satisfaction") in Satisfaction.values:
        label = Satisfaction(event.data["satisfaction"]).label
        if event.from_state != "closed":  # rating a verified case closes it
            return pgettext("case timeline", "Completed; rated: %(label)s") % {"label": label}
        return pgettext("case timeline", "Rated: %(label)s") % {"label": label}
    texts = {
        "report": pgettext("case timeline", "Submitted"),
        "register": pgettext("case timeline", "Accepted"),
        "dispatch": pgettext("case timeline", "Sent to a handling unit"),
        "redispatch": pgettext("case timeline", "Sent to a handling unit"),
        "return": pgettext("case timeline", "Returned by the unit, to be sent again"),
        "accept": pgettext("case timeline", "The unit is handling it"),
        "reply": pgettext("case timeline", "The unit replied"),
        "verify": pgettext("case timeline", "Checked on site"),
        "rework": pgettext("case timeline", "Sent back to be handled again"),
        "close": pgettext("case timeline", "Completed"),
        "rate": pgettext("case timeline", "Rated"),
        "reopen": pgettext("case timeline", "Reopened"),
        "park": pgettext("case timeline", "Put on hold"),
        "resume": pgettext("case timeline", "Taken up again"),
        "void": pgettext("case timeline", "Cancelled"),
        "merge": pgettext("case timeline", "Merged into another case"),
        "merged_in": pgettext("case timeline", "Another report of the same problem was merged in"),
        "reject": pgettext("case timeline", "Not taken up"),
        "comment": pgettext("case timeline", "Note added"),
        "photo": pgettext("case timeline", "Photo added"),
        "urgent": pgettext("case timeline", "Urgency changed"),
        "escalate": pgettext("case timeline", "Deadline passed: escalated"),
        "park_review": pgettext("case timeline", "Hold due for review"),
        "publication": pgettext("case timeline", "Publication decided"),
    }
    return texts.get(kind, pgettext("case timeline", "Updated"))


def steps(case, events, *, for_resident: bool, reporter_id: int | None = None) -> list[Step]:
    units = dict(HandlingUnit.objects.values_list("pk", "name"))
    found = []
    for event in events:
        own = reporter_id is not None and event.actor_id == reporter_id
        if for_resident and (event.kind in STAFF_ONLY or (event.kind == "comment" and not own)):
            continue
        note = event.note if (not for_resident or own or event.kind in NOTES_FOR_RESIDENTS) else ""
        who = "" if for_resident else str(event.actor or "")
        found.append(Step(at=event.at, text=_text(event, case, units), note=note, who=who))
    return found
