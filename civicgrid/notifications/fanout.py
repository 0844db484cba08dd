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


@dataclass
class Event:
    kind: EventKind
    key: str
    recipients: list[Recipient]
    params: dict
    url: str


def plan(kind: EventKind, event_key: str, recipients: list[Recipient], params: dict, url: str,
         now: datetime) -> Fanout:
    return plan_all([Event(kind, event_key, recipients, params, url)], now)


def plan_all(events: list[Event], now: datetime) -> Fanout:
    """Several events of one transaction: their recipients' users, contacts, preferences and addresses are read
    once for all of them (a confirmed service record tells its volunteer twice)."""
    out = Fanout()
    user_ids = list(dict.fromkeys(r.user_id for e in events for r in e.recipients if r.user_id is not None))
    facts = _UserFacts(user_ids, [e.kind.name for e in events], now) if user_ids else None
    for event in events:
        ids = list(dict.fromkeys(r.user_id for r in event.recipients if r.user_id is not None))
        if ids and facts is not None:
            fallbacks = {r.user_id: r.address for r in event.recipients
                         if r.user_id is not None and r.address is not None}
            _plan_users(out, event, ids, fallbacks, facts, now)
        for recipient in event.recipients:
            if recipient.user_id is None and recipient.address is not None and event.kind.to_addresses:
                out.messages.append(_message(event.kind, event.key, recipient.identity, None, Channel.SMS,
                                             recipient.address, "zh-hans", event.params, event.url, now))
    return out


class _UserFacts:
    """What fan-out reads about the users of the events being planned, each read once."""

    def __init__(self, user_ids: list[int], kinds: list[str], now: datetime):
        self.users = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids, is_active=True)}
        self.contacts = {c.user_id: c for c in Contact.objects.filter(user_id__in=user_ids)}
        self.preferences = {(p.user_id, p.kind): p for p in Preference.objects.filter(user_id__in=user_ids,
                                                                                      kind__in=set(kinds))}
        self.user_ids, self.now = user_ids, now
        self._addresses: dict[bool, dict] = {}
        self._sms_today: Counter | None = None

    def addresses(self, users: list, fallbacks: dict, *, sms: bool) -> dict:
        """Each user's addresses; phones kept by other modules only when someone is to get an SMS."""
        if fallbacks:  # phones given with this event only
            return addresses_for(users, self.contacts, fallbacks, phone_sources=sms)
        if sms not in self._addresses:
            self._addresses[sms] = addresses_for(list(self.users.values()), self.contacts, phone_sources=sms)
        return self._addresses[sms]

    def sms_today(self) -> Counter:
        """SMS counted against today's limit, shared by the events planned together (each one counts)."""
        if self._sms_today is None:
            self._sms_today = _sms_sent_today(self.user_ids, self.now)
        return self._sms_today


def _plan_users(out: Fanout, event: Event, user_ids: list[int], fallbacks: dict, facts: _UserFacts,
                now: datetime) -> None:
    kind = event.kind
    users = [facts.users[pk] for pk in user_ids if pk in facts.users and kind.may_receive(facts.users[pk].role)]
    contacts = facts.contacts
    preferences = {pk: facts.preferences[(pk, kind.name)] for pk in user_ids if (pk, kind.name) in facts.preferences}
    sms = _may_send_sms(kind, users, contacts, preferences)
    addresses = facts.addresses(users, fallbacks, sms=sms)
    sms_today = facts.sms_today() if sms else Counter()
    for user in users:
        contact = contacts.get(user.pk)
        language = contact.language if contact else "zh-hans"
        out.notifications.append(Notification(user=user, kind=kind.name, event_key=event.key, url=event.url,
                                              text=kind.text(language, event.params)[:500]))
        for channel in policy.channels_for(kind, user.role, contact, preferences.get(user.pk))[1:]:
            ref = addresses[user.pk].get(channel)
            if ref is None:
                continue
            message = _message(kind, event.key, f"user:{user.pk}", user.pk, channel, ref, language, event.params,
                               event.url, now)
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
    if kind.urgency == Urgency.URGENT:  # never held, but counted: a later event of the same batch sees it
        if message.channel == Channel.SMS:
            sms_today[message.user_id] += 1
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
