"""Notification event kinds of extension and return requests (registered from the app's ready())."""

from civicgrid.cases.events import STAFF
from civicgrid.cases.models import CaseEvent, CaseRequest
from civicgrid.notifications import EventKind, Recipient, SmsTemplate, Urgency, publish, register
from civicgrid.notifications.registry import Channel

REQUEST_ASKED = register(EventKind(
    name="cases.request_asked", urgency=Urgency.TIMELY, channels=(Channel.INBOX, Channel.EMAIL), audience=STAFF,
    texts={"zh-hans": "{unit}申请{kind}：案件 {number}", "en": "{unit} asks for {kind}: case {number}"},
    sms=SmsTemplate("CASE_REQUEST_ASKED", ("number",))))
REQUEST_DECIDED = register(EventKind(
    name="cases.request_decided", urgency=Urgency.TIMELY, channels=(Channel.INBOX, Channel.EMAIL), audience=STAFF,
    texts={"zh-hans": "案件 {number} 的{kind}申请{decision}", "en": "Case {number}: {kind} request {decision}"},
    sms=SmsTemplate("CASE_REQUEST_DECIDED", ("number", "decision"))))


def _url(request: CaseRequest) -> str:
    return f"/cases/{request.case_id}/"


def request_asked(request: CaseRequest, event: CaseEvent) -> None:
    """The staff member who received the case (its dispatcher) hears of the request."""
    case = request.case
    if case.first_receiver_id:
        publish(kind=REQUEST_ASKED.name, key=f"case-event:{event.pk}", url=_url(request),
                recipients=[Recipient.user(case.first_receiver_id)],
                params={"number": case.number, "unit": request.unit.name, "kind": request.get_kind_display()})


def request_decided(request: CaseRequest, event: CaseEvent) -> None:
    """The members of the unit that asked hear the decision."""
    members = request.unit.members.values_list("pk", flat=True)
    publish(kind=REQUEST_DECIDED.name, key=f"case-event:{event.pk}", url=_url(request),
            recipients=[Recipient.user(pk) for pk in members],
            params={"number": request.case.number, "kind": request.get_kind_display(),
                    "decision": request.get_state_display()})
