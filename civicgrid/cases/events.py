"""The case events people hear about, published through the notification service inside the workflow's
transaction. Residents who reported by phone only (no account) receive the outcome of their case by SMS."""

from civicgrid.accounts.models import Role
from civicgrid.cases.models import Case, CaseEvent, Follower
from civicgrid.notifications import EventKind, Recipient, SmsTemplate, Urgency, publish, publish_all, register
from civicgrid.notifications.registry import Channel

STAFF = frozenset({Role.DISTRICT, Role.SUBDISTRICT, Role.COMMUNITY, Role.GRID, Role.HANDLING_UNIT})
OUTCOME_ACTIONS = {"dispatch", "reply", "close", "reject", "void"}  # what a reporter must hear

DISPATCHED = register(EventKind(
    name="cases.dispatched", urgency=Urgency.TIMELY, channels=(Channel.INBOX, Channel.EMAIL), audience=STAFF,
    texts={"zh-hans": "新案件 {number} 已派遣给{unit}", "en": "New case {number} dispatched to {unit}"},
    sms=SmsTemplate("CASE_DISPATCHED", ("number",)), wechat_template="case_dispatched"))
OVERDUE = register(EventKind(
    name="cases.overdue", urgency=Urgency.URGENT, channels=(Channel.INBOX, Channel.SMS, Channel.EMAIL),
    audience=STAFF, texts={"zh-hans": "案件 {number} 已超期", "en": "Case {number} is overdue"},
    sms=SmsTemplate("CASE_OVERDUE", ("number",)), wechat_template="case_overdue"))
OUTCOME = register(EventKind(
    name="cases.outcome", urgency=Urgency.TIMELY, mandatory=True, to_addresses=True,
    channels=(Channel.INBOX, Channel.SMS), role_channels={role: (Channel.INBOX, Channel.EMAIL) for role in STAFF},
    texts={"zh-hans": "您的案件 {number}：{update}", "en": "Your case {number}: {update}"},
    sms=SmsTemplate("CASE_OUTCOME", ("number", "update")), wechat_template="case_outcome"))
PROGRESS = register(EventKind(
    name="cases.progress", urgency=Urgency.ROUTINE, channels=(Channel.INBOX, Channel.EMAIL),
    texts={"zh-hans": "您关注的案件 {number}：{update}", "en": "Case {number} you follow: {update}"},
    sms=SmsTemplate("CASE_PROGRESS", ("number", "update")), wechat_template="case_progress"))
PARK_REVIEW = register(EventKind(
    name="cases.park_review", urgency=Urgency.TIMELY, channels=(Channel.INBOX,), audience=STAFF,
    texts={"zh-hans": "挂账案件 {number} 到期需复核", "en": "Parked case {number} is due for review"},
    sms=SmsTemplate("CASE_PARK_REVIEW", ("number",))))


def _url(case: Case) -> str:
    return f"/cases/{case.pk}/"


def case_changed(case: Case, event: CaseEvent, text: str) -> None:
    """Tell the followers; the outcome also reaches the phone the case was reported with. A resident who joined the
    case instead of reporting it again cannot open its page (it is another resident's report): his link goes to the
    case's line under "My cases"."""
    followers = list(Follower.objects.filter(case=case))
    fallback = case if case.phone_cipher else None
    reporter_id = case.reporter_id
    joined = [f for f in followers if f.user_id and f.joined and f.user_id != reporter_id]
    recipients = [Recipient.user(f.user_id, phone_from=fallback if f.user_id == reporter_id else None)
                  for f in followers if f.user_id and f not in joined]
    recipients += [Recipient.phone_of(f) for f in followers if not f.user_id and f.phone_cipher]
    if fallback is not None and reporter_id is None:
        recipients.append(Recipient.phone_of(case))
    kind = OUTCOME if event.kind in OUTCOME_ACTIONS else PROGRESS
    params = {"number": case.number, "update": text}
    events = [{"kind": kind.name, "key": f"case-event:{event.pk}", "recipients": recipients, "params": params,
               "url": _url(case)}]
    if joined:
        events.append({"kind": kind.name, "key": f"case-event:{event.pk}:joined", "params": params,
                       "recipients": [Recipient.user(f.user_id) for f in joined],
                       "url": f"/cases/mine/#joined-{case.number}"})
    publish_all(events)


def dispatched(case: Case, event: CaseEvent, unit) -> None:
    publish(kind=DISPATCHED.name, key=f"case-event:{event.pk}", url=_url(case),
            recipients=[Recipient.user(pk) for pk in unit.members.values_list("pk", flat=True)],
            params={"number": case.number, "unit": unit.name})


def overdue(case: Case, event: CaseEvent) -> None:
    if case.unit and case.unit.supervisor_id:
        publish(kind=OVERDUE.name, key=f"case-event:{event.pk}", url=_url(case),
                recipients=[Recipient.user(case.unit.supervisor_id)], params={"number": case.number})


def park_review(case: Case, event: CaseEvent) -> None:
    if case.first_receiver_id:
        publish(kind=PARK_REVIEW.name, key=f"case-event:{event.pk}", url=_url(case),
                recipients=[Recipient.user(case.first_receiver_id)], params={"number": case.number})
