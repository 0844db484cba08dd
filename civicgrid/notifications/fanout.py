"""Turning one event into inbox entries and outbox messages (called by `services.publish`)."""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model

from civicgrid.notifications import policy
from civicgrid.notifications.models import Contact, Message, Notification, Preference
from civicgrid.notifications.recipients import AddressRef, Recipient, addresses_for
from civicgrid.notifications.registry import Channel, EventKind, Urgency


@dataclass
class Fanout:
    notifications: list[Notification] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)


def message_key(kind: str, event_key: str, identity: str, channel: str) -> str:
    return hashlib.sha256(f"{kind}|{event_key}|{identity}|{channel}".encode()).hexdigest()


def plan(kind: EventKind, event_key: str, recipients: list[Recipient], params: dict, url: str,
         now: datetime) -> Fanout:
    out = Fanout()
    user_ids = list(dict.fromkeys(r.user_id for r in recipients if r.user_id is not None))
    if user_ids:
        fallbacks = {r.user_id: r.address for r in recipients if r.user_id is not None and r.address is not None}
        _plan_users(out, kind, event_key, user_ids, fallbacks, params, url, now)
    for recipient in recipients:
        if recipient.user_id is None and recipient.address is not None and kind.to_addresses:
            out.messages.append(_message(kind, event_key, recipient.identity, None, Channel.SMS, recipient.address,
                                         "zh-hans", params, url, now))
    return out


def _plan_users(out: Fanout, kind: EventKind, event_key: str, user_ids: list[int], fallbacks: dict,
                params: dict, url: str, now: datetime) -> None:
    users = [u for u in get_user_model().objects.filter(pk__in=user_ids, is_active=True) if kind.may_receive(u.role)]
    contacts = {c.user_id: c for c in Contact.objects.filter(user_id__in=user_ids)}
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=user_ids, kind=kind.name)}
    addresses = addresses_for(users, contacts, fallbacks)
    sms_today = _sms_sent_today(user_ids, now) if _may_send_sms(kind, users, contacts, preferences) else Counter()
    for user in users:
        contact = contacts.get(user.pk)
        language = contact.language if contact else "zh-hans"
        out.notifications.append(Notification(user=user, kind=kind.name, event_key=event_key, url=url,
                                              text=kind.text(language, params)[:500]))
        for channel in policy.channels_for(kind, user.role, contact, preferences.get(user.pk))[1:]:
            ref = addresses[user.pk].get(channel)
            if ref is None:
                continue
            message = _message(kind, event_key, f"user:{user.pk}", user.pk, channel, ref, language, params, url, now)
            _hold_if_needed(message, kind, contact, sms_today)
            out.messages.append(message)


def _may_send_sms(kind, users, contacts, preferences) -> bool:
    return any(Channel.SMS in policy.channels_for(kind, u.role, contacts.get(u.pk), preferences.get(u.pk))
               for u in users)


def _sms_sent_today(user_ids: list[int], now: datetime) -> Counter:
    counted = Message.objects.filter(user_id__in=user_ids, channel=Channel.SMS, created_at__gte=policy.day_start(now))
    counted = counted.exclude(status__in=[Message.Status.HELD, Message.Status.DIGESTED])
    return Counter(counted.values_list("user_id", flat=True))


def _hold_if_needed(message: Message, kind: EventKind, contact, sms_today: Counter) -> None:
    """Routine events wait for the digest; SMS over the daily limit too (urgent ones are never held)."""
    if kind.urgency == Urgency.URGENT:
        return
    digest = contact.digest if contact else "daily"
    if kind.urgency == Urgency.ROUTINE and digest != "immediately":
        message.status = Message.Status.HELD
    elif message.channel == Channel.SMS:
        if sms_today[message.user_id] >= policy.sms_limit():
            message.status, message.last_error = Message.Status.HELD, "daily SMS limit"
        else:
            sms_today[message.user_id] += 1


def _message(kind: EventKind, event_key: str, identity: str, user_id: int | None, channel: str, ref: AddressRef,
             language: str, params: dict, url: str, now: datetime) -> Message:
    return Message(key=message_key(kind.name, event_key, identity, channel), kind=kind.name, event_key=event_key,
                   channel=channel, urgency=kind.urgency, user_id=user_id, address_model=ref.model,
                   address_pk=ref.pk, address_field=ref.field, recipient_masked=ref.masked, language=language,
                   params=params, url=url, not_before=policy.quiet_until(now, channel, kind.urgency))
