"""The volunteering events people hear about (published inside the services' transactions), and the
volunteers' phones offered to the notification service for SMS."""

from civicgrid.accounts.models import Role, User
from civicgrid.notifications import EventKind, Recipient, SmsTemplate, Urgency, publish, publish_all, register
from civicgrid.notifications.recipients import AddressRef, register_phone_source
from civicgrid.notifications.registry import Channel
from civicgrid.volunteering.hours import hours_number
from civicgrid.volunteering.models import Certificate, HelpRequest, ServiceRecord, Shift, Signup, Transfer, Volunteer

STAFF = frozenset({Role.DISTRICT, Role.SUBDISTRICT, Role.COMMUNITY, Role.GRID})


def _kind(name: str, zh: str, en: str, *, urgency=Urgency.TIMELY, channels=(Channel.INBOX,), audience=None,
          params: tuple[str, ...] = ()) -> EventKind:
    return register(EventKind(name=f"volunteering.{name}", texts={"zh-hans": zh, "en": en}, urgency=urgency,
                              channels=channels, audience=audience, sms=SmsTemplate(f"VOL_{name.upper()}", params)))


SIGNUP_CONFIRMED = _kind("signup_confirmed", "您已报名 {activity}（{starts}）",
    "You have a place on {activity} ({starts})",
                         params=("activity", "starts"))
WAITLISTED = _kind("waitlisted", "{activity}（{starts}）已满，您在候补名单上",
                   "{activity} ({starts}) is full: you are on the waiting list", params=("activity", "starts"))
PROMOTED = _kind("promoted", "有人取消，您已从候补转为正式报名：{activity}（{starts}）",
                 "A place came free: you are now signed up for {activity} ({starts})",
                 channels=(Channel.INBOX, Channel.SMS), params=("activity", "starts"))
SHIFT_TOMORROW = _kind("shift_tomorrow", "提醒：明天 {starts} 有您的志愿服务 {activity}",
                        "Reminder: {activity} tomorrow at {starts}", channels=(Channel.INBOX, Channel.SMS),
                        params=("activity", "starts"))
HOURS_CONFIRMED = _kind("hours_confirmed", "您的 {hours} 小时志愿服务已确认",
    "Your {hours} hours of service are confirmed",
                        urgency=Urgency.ROUTINE, channels=(Channel.INBOX, Channel.EMAIL), params=("hours",))
CERTIFICATE_READY = _kind("certificate_ready", "志愿服务证明 {number} 已开具",
    "Your service certificate {number} is ready",
                          urgency=Urgency.ROUTINE, channels=(Channel.INBOX, Channel.EMAIL), params=("number",))
HELP_NEARBY = _kind("help_nearby", "附近有居民需要帮助：{kind}（{needed}）",
    "A neighbour needs help: {kind} ({needed})",
                    channels=(Channel.INBOX, Channel.WECHAT), params=("kind", "needed"))
HELP_ESCALATED = _kind("help_escalated", "求助 {kind}（{needed}）无人响应，请社区跟进",
                       "Nobody answered the help request {kind} ({needed}): the community should follow up",
                       urgency=Urgency.URGENT, channels=(Channel.INBOX, Channel.SMS, Channel.EMAIL), audience=STAFF,
                       params=("kind", "needed"))

SHIFT_CANCELLED = _kind("shift_cancelled", "{activity}（{starts}）已取消：{reason}",
                        "{activity} ({starts}) is cancelled: {reason}", channels=(Channel.INBOX, Channel.SMS),
                        params=("activity", "starts", "reason"))
POINTS_EARNED = _kind("points_earned", "您获得 {points} 积分（{activity}）", "You earned {points} points ({activity})",
                      urgency=Urgency.ROUTINE, channels=(Channel.INBOX, Channel.EMAIL), params=("points", "activity"))
POINTS_EXPIRING = _kind("points_expiring", "您有 {points} 积分将于 {date} 过期，请及时使用",
                        "{points} of your points expire on {date}: use them before then",
                        channels=(Channel.INBOX, Channel.EMAIL), params=("points", "date"))


def volunteer_phones(user_ids: list[int]) -> dict[int, AddressRef]:
    return {v.user_id: AddressRef.of(v, "phone", v.phone_masked)
            for v in Volunteer.objects.filter(user_id__in=user_ids).exclude(phone_cipher="")}


register_phone_source(volunteer_phones)


def _when(value) -> str:
    from django.utils import timezone

    return f"{timezone.localtime(value):%m-%d %H:%M}"


def signup_changed(signup: Signup, kind: EventKind, *, occasion: str) -> None:
    shift = signup.shift
    publish(kind=kind.name, key=f"signup:{signup.pk}:{occasion}", url="/volunteering/",
            recipients=[Recipient.user(signup.volunteer.user_id)],
            params={"activity": shift.activity.title, "starts": _when(shift.starts_at)})


def _hours_confirmed(record: ServiceRecord) -> dict:
    return {"kind": HOURS_CONFIRMED.name, "key": f"record:{record.pk}:confirmed", "url": "/volunteering/",
            "recipients": [Recipient.user(record.volunteer.user_id)], "params": {"hours": hours_number(record.minutes)}}


def record_confirmed(record: ServiceRecord, transfer: Transfer | None) -> None:
    """Hours confirmed, and the points they earned if any: one fan-out for both."""
    events = [_hours_confirmed(record)] + ([_points_earned(record, transfer)] if transfer is not None else [])
    publish_all(events)


def certificate_ready(certificate: Certificate) -> None:
    publish(kind=CERTIFICATE_READY.name, key=f"certificate:{certificate.pk}", url="/volunteering/",
            recipients=[Recipient.user(certificate.volunteer.user_id)], params={"number": certificate.number})


def help_asked(request: HelpRequest) -> None:
    nearby = Volunteer.objects.within(request.region_code[:12]).filter(verified_at__isnull=False)
    publish(kind=HELP_NEARBY.name, key=f"help:{request.pk}:asked", url="/volunteering/",
            recipients=[Recipient.user(pk) for pk in nearby.values_list("user_id", flat=True)[:200]],
            params={"kind": request.get_kind_display(), "needed": _when(request.needed_at)})


def help_escalated(request: HelpRequest) -> None:
    staff = User.objects.filter(role=Role.COMMUNITY, region_code=request.region_code[:12], is_active=True)
    publish(kind=HELP_ESCALATED.name, key=f"help:{request.pk}:escalated", url="/volunteering/",
            recipients=[Recipient.user(pk) for pk in staff.values_list("pk", flat=True)],
            params={"kind": request.get_kind_display(), "needed": _when(request.needed_at)})


def shift_cancelled(shift: Shift, volunteer_ids: list[int]) -> None:
    users = Volunteer.objects.filter(pk__in=volunteer_ids).values_list("user_id", flat=True)
    publish(kind=SHIFT_CANCELLED.name, key=f"shift:{shift.pk}:cancelled", url="/volunteering/",
            recipients=[Recipient.user(pk) for pk in users],
            params={"activity": shift.activity.title, "starts": _when(shift.starts_at), "reason": shift.cancel_reason})


def _points_earned(record: ServiceRecord, transfer: Transfer) -> dict:
    return {"kind": POINTS_EARNED.name, "key": f"transfer:{transfer.pk}:earned", "url": "/volunteering/",
            "recipients": [Recipient.user(record.volunteer.user_id)],
            "params": {"points": transfer.amount, "activity": record.content[:40]}}


def points_expiring(volunteer: Volunteer, *, points: int, day) -> None:
    publish(kind=POINTS_EXPIRING.name, key=f"points:{volunteer.pk}:expiring:{day.isoformat()}", url="/volunteering/",
            recipients=[Recipient.user(volunteer.user_id)], params={"points": points, "date": day.isoformat()})
