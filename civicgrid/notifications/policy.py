"""The rules that decide when a message goes out: preferences, quiet hours, the SMS limit, digests."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from civicgrid.notifications.registry import QUIET_CHANNELS, Channel, EventKind, Urgency


def channels_for(kind: EventKind, role: str, contact, preference) -> tuple[str, ...]:
    """The channels a user receives `kind` on; the inbox always. Mandatory kinds ignore preferences and muting."""
    wanted = kind.default_channels(role)
    if not kind.mandatory:
        if contact is not None and contact.muted:
            wanted = ()
        elif preference is not None:
            wanted = tuple(preference.channels)
    return (Channel.INBOX, *(c for c in wanted if c != Channel.INBOX))


def quiet_hours() -> tuple[int, int]:
    return settings.NOTIFY_QUIET_HOURS


def quiet_until(now: datetime, channel: str, urgency: str) -> datetime:
    """`now`, or the end of quiet hours when a non-urgent SMS/WeChat message would wake someone up."""
    if channel not in QUIET_CHANNELS or urgency == Urgency.URGENT:
        return now
    start, end = quiet_hours()
    local = timezone.localtime(now)
    hour = local.hour
    quiet = (start <= hour or hour < end) if start > end else (start <= hour < end)
    if not quiet:
        return now
    day = local.date() if hour < end else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(end)), local.tzinfo)


def day_start(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def sms_limit() -> int:
    return settings.NOTIFY_SMS_PER_DAY


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after each failed attempt, at most 6 hours."""
    return timedelta(seconds=min(settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1), 6 * 3600))
