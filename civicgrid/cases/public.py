"""A published case as the public sees it: its stage in residents' words and only its public fields."""

from django.utils.translation import pgettext_lazy

from civicgrid.cases.models import Case, State
from civicgrid.cases.redaction import public_point

# stage key → (label in residents' words, workflow states)
STAGES = {
    "received": (pgettext_lazy("public case stage", "Received"), (State.REPORTED, State.REGISTERED)),
    "in_progress": (pgettext_lazy("public case stage", "Being handled"),
                    (State.DISPATCHED, State.HANDLING, State.REPLIED, State.VERIFIED, State.PARKED)),
    "done": (pgettext_lazy("public case stage", "Done"), (State.CLOSED,)),
    "not_taken_up": (pgettext_lazy("public case stage", "Not taken up"), (State.REJECTED, State.VOID)),
}


def stage_of(case: Case) -> str:
    return stage_of_state(case.state)


def stage_of_state(state: str) -> str:
    return next(key for key, (_label, states) in STAGES.items() if state in states)


def stage_label(case: Case) -> str:
    return stage_label_of(case.state)


def stage_label_of(state: str) -> str:
    return str(STAGES[stage_of_state(state)][0])


def stage_states(key: str) -> tuple[str, ...] | None:
    return STAGES[key][1] if key in STAGES else None


def public_view(case: Case, communities: dict[str, str]) -> dict:
    """The fields a page or an answer may show of a published case, nothing else."""
    lon, lat = public_point(case.lon, case.lat)
    return {"number": case.number, "stage": stage_of(case), "stage_label": stage_label(case),
            "category": case.category.name if case.category else "", "description": case.public_description,
            "lon": lon, "lat": lat, "community": communities.get(case.region_code[:12], ""),
            "reported_at": case.reported_at, "updated_at": case.updated_at, "closed_at": case.closed_at,
            "unit": case.unit.name if case.unit else ""}
