"""The case state machine: which action moves a case from which states to which state."""

from civicgrid.cases.models import State

S = State
# action: (allowed from-states, to-state or None when the state does not change)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "register": ((S.REPORTED,), S.REGISTERED),
    "reject": ((S.REPORTED,), S.REJECTED),
    "dispatch": ((S.REGISTERED,), S.DISPATCHED),
    "redispatch": ((S.DISPATCHED, S.HANDLING), S.DISPATCHED),
    "return": ((S.DISPATCHED,), S.REGISTERED),
    "accept": ((S.DISPATCHED,), S.HANDLING),
    "reply": ((S.HANDLING,), S.REPLIED),
    "verify": ((S.REPLIED,), S.VERIFIED),
    "rework": ((S.REPLIED,), S.HANDLING),
    "close": ((S.VERIFIED,), S.CLOSED),
    "rate": ((S.VERIFIED, S.CLOSED), S.CLOSED),
    "reopen": ((S.CLOSED,), S.DISPATCHED),
    "park": ((S.REGISTERED, S.DISPATCHED, S.HANDLING), S.PARKED),
    "resume": ((S.PARKED,), S.REGISTERED),
    "void": ((S.REPORTED, S.REGISTERED, S.DISPATCHED, S.HANDLING, S.PARKED), S.VOID),
    "merge": ((S.REPORTED, S.REGISTERED), S.VOID),
    "urgent": ((S.REPORTED, S.REGISTERED, S.DISPATCHED, S.HANDLING, S.PARKED), None),
    "comment": (tuple(State.values), None),
}


def allowed(action: str, state: str) -> bool:
    return state in TRANSITIONS[action][0]


def target(action: str, state: str) -> str:
    to = TRANSITIONS[action][1]
    return to if to is not None else state


def actions_from(state: str) -> list[str]:
    return [action for action, (sources, _to) in TRANSITIONS.items() if state in sources]
