"""API of the closed loop under /api/v1/cases: extension and return requests, the call-back, the 12345 results."""

from datetime import date, datetime, timedelta
from typing import Literal

from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from civicgrid.cases import roundtrip
from civicgrid.cases.errors import NoCallBack
from civicgrid.cases.models import CaseRequest
from civicgrid.cases.schemas import BIG
from civicgrid.cases.selectors import get_case
from civicgrid.cases.services import callback, requests
from civicgrid.core.errors import ValidationFailed
from civicgrid.core.schemas import errors

router = Router(tags=["cases"])
Id = Path(..., ge=1, le=BIG)
DAY = r"^\d{4}-\d{2}-\d{2}$"


class CaseRequestIn(Schema):
    kind: Literal["extension", "return"]
    reason: str = Field(..., min_length=1, max_length=500)
    new_deadline: date | None = None


class DecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=500)


class CaseRequestOut(Schema):
    id: int
    case_id: int
    kind: str
    unit_id: int
    reason: str
    old_deadline: datetime | None
    new_deadline: datetime | None
    state: str
    decision_note: str
    created_at: datetime
    decided_at: datetime | None


class AttemptIn(Schema):
    reached: bool
    resolved: bool | None = None
    satisfaction: Literal["satisfied", "basic", "unsatisfied", ""] = ""
    comment: str = Field("", max_length=2000)


class FollowUpIn(Schema):
    action: Literal["rework", "explain"]
    note: str = Field(..., min_length=1, max_length=500)


class CallBackOut(Schema):
    id: int
    case_id: int
    state: str
    attempts: int
    max_attempts: int
    last_attempt_on: date | None
    next_attempt_on: date | None
    resolved: bool | None
    satisfaction: str
    comment: str
    followup: str
    followup_reason: str
    phone_masked: str


class PhoneOut(Schema):
    phone: str


class HotlineResultsOut(Schema):
    columns: list[str]
    rows: list[list]


def _callback_out(case, task) -> dict:
    return {**{name: getattr(task, name) for name in ("id", "case_id", "state", "attempts", "last_attempt_on",
                                                       "next_attempt_on", "resolved", "satisfaction", "comment",
                                                       "followup", "followup_reason")},
            "max_attempts": callback.max_attempts(), "phone_masked": case.phone_masked}


@router.get("/cases/{case_id}/requests", response={200: list[CaseRequestOut], **errors(404)},
            summary="Extension and return requests of a case")
def list_requests(request, case_id: int = Id):
    case = get_case(actor=request.auth, case_id=case_id)
    return list(CaseRequest.objects.filter(case=case))


@router.post("/cases/{case_id}/requests", response={201: CaseRequestOut, **errors(403, 404, 409)},
             summary="The handling unit asks for an extension (new date) or to return the case")
def ask(request, payload: CaseRequestIn, case_id: int = Id):
    return Status(201, requests.ask(actor=request.auth, case_id=case_id, **payload.dict()))


@router.post("/cases/{case_id}/requests/decision", response={200: CaseRequestOut, **errors(403, 404, 409)},
             summary="The dispatcher approves or refuses the pending request (a refusal needs a note)")
def decide(request, payload: DecisionIn, case_id: int = Id):
    return requests.decide(actor=request.auth, case_id=case_id, approve=payload.approve, note=payload.note)


@router.get("/cases/{case_id}/callback", response={200: CallBackOut, **errors(403, 404, 409)},
            summary="The case's call-back (回访), phone masked")
def get_callback(request, case_id: int = Id):
    case, task = callback.current(actor=request.auth, case_id=case_id)
    if task is None:
        raise NoCallBack()
    return _callback_out(case, task)


@router.post("/cases/{case_id}/callback/phone", response={200: PhoneOut, **errors(403, 404, 409)},
             summary="The caller's full number for an open call-back (audited)")
def reveal_phone(request, case_id: int = Id):
    return {"phone": callback.reveal_phone(actor=request.auth, case_id=case_id)}


@router.post("/cases/{case_id}/callback/attempts", response={200: CallBackOut, **errors(403, 404, 409)},
             summary="Record one call: reached with the answer, or not reached")
def attempt(request, payload: AttemptIn, case_id: int = Id):
    task = callback.record_attempt(actor=request.auth, case_id=case_id, **payload.dict())
    return _callback_out(task.case, task)


@router.post("/cases/{case_id}/callback/followup", response={200: CallBackOut, **errors(403, 404, 409)},
             summary="After a dissatisfied answer: reopen for rework, or propose 'not solvable / explained'")
def followup(request, payload: FollowUpIn, case_id: int = Id):
    if payload.action == "rework":
        callback.rework(actor=request.auth, case_id=case_id, note=payload.note)
    else:
        callback.propose_explanation(actor=request.auth, case_id=case_id, note=payload.note)
    case, task = callback.current(actor=request.auth, case_id=case_id)
    return _callback_out(case, task)


@router.post("/cases/{case_id}/callback/explanation", response={200: CallBackOut, **errors(403, 404, 409)},
             summary="The subdistrict approves or refuses 'not solvable / explained'")
def explanation(request, payload: DecisionIn, case_id: int = Id):
    task = callback.decide_explanation(actor=request.auth, case_id=case_id, approve=payload.approve,
                                       note=payload.note)
    return _callback_out(task.case, task)


@router.get("/case-hotline-results", response={200: HotlineResultsOut, **errors(403)},
            summary="12345 round trip: per work order the handling result, reply, unit, times and call-back")
def hotline_results(request, start: str | None = Query(None, pattern=DAY), end: str | None = Query(None, pattern=DAY)):
    try:
        end_day = date.fromisoformat(end) if end else timezone.localdate()
        start_day = date.fromisoformat(start) if start else end_day - timedelta(days=31)
    except ValueError:
        raise ValidationFailed(code="invalid_date", field="start") from None
    table = roundtrip.rows(actor=request.auth, start=start_day, end=end_day)
    return {"columns": table[0], "rows": table[1:]}
