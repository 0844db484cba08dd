"""Sending the outbox: claim due messages (a lease, committed), send each, record the outcome.

A message is never sent twice for one event and recipient: its key is unique, a claim moves it to `sending`
in a committed transaction before the adapter is called, and only the claim's holder records the result.
A worker sends only in the first half of its lease and gives back what it could not send in time. A worker
that dies after claiming leaves `sending` rows whose lease expires; `recover_stale` asks the adapter
whether the message went out and marks it sent, queues it again, or (when the adapter cannot tell) moves it
to the dead letters instead of risking a second copy."""

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from civicgrid.notifications import addresses, policy
from civicgrid.notifications.adapters import adapter_for
from civicgrid.notifications.content import DeliveryError, render
from civicgrid.notifications.models import Message

log = logging.getLogger(__name__)
S = Message.Status


def lease() -> timedelta:
    """How long a claim holds before another worker treats its holder as dead (longer than any send)."""
    return timedelta(seconds=settings.NOTIFY_LEASE_SECONDS)


@dataclass
class Report:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    recovered: int = 0


def deliver_due(*, limit: int = 200, now=None) -> Report:
    now = now or timezone.now()
    report = Report(recovered=recover_stale(now=now))
    claimed = claim(limit=limit, now=now)
    rows = addresses.rows_for(claimed)
    for position, message in enumerate(claimed):
        if not _time_left(message):
            _release(claimed[position:])
            break
        outcome = send(message, now=now, rows=rows)
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def _time_left(message: Message) -> bool:
    """Send only in the first half of the lease: after it expires, `recover_stale` elsewhere may hand the message
    to another worker, so a slow batch (a database busy with other writers) must stop well before that."""
    half: timedelta = lease() / 2
    return message.lease_until is not None and timezone.now() < message.lease_until - half


def _release(messages: list[Message]) -> None:
    for message in messages:
        _held(message).update(status=S.QUEUED, lease_until=None, attempts=F("attempts") - 1)


def deliver_all(*, batch: int = 200, now=None) -> Report:
    """Send until nothing is due (a task's whole run)."""
    total = Report()
    while True:
        report = deliver_due(limit=batch, now=now)
        for name in ("sent", "retried", "failed", "recovered"):
            setattr(total, name, getattr(total, name) + getattr(report, name))
        if report.sent + report.retried + report.failed == 0:
            return total


def claim(*, limit: int, now) -> list[Message]:
    token = uuid.uuid4().hex
    with transaction.atomic():
        due = Message.objects.filter(status=S.QUEUED, not_before__lte=now).order_by("not_before", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        Message.objects.filter(pk__in=ids, status=S.QUEUED).update(
            status=S.SENDING, claim=token, lease_until=max(now, timezone.now()) + lease(), attempts=F("attempts") + 1)
    return list(Message.objects.filter(claim=token, status=S.SENDING).order_by("id"))


def send(message: Message, *, now=None, rows: dict | None = None) -> str:
    """Send one claimed message; returns which counter of the report it adds to. A retry waits from `now`."""
    try:
        provider_id = adapter_for(message.channel).send(message, addresses.resolve(message, rows), render(message))
    except DeliveryError as error:
        return _failed(message, error, now or timezone.now())
    except Exception as exc:  # an adapter bug or outage must not lose the message: it is retried
        log.exception("notification %s: adapter error", message.pk)
        return _failed(message, DeliveryError(f"{type(exc).__name__}: {exc}"), now or timezone.now())
    _held(message).update(status=S.SENT, sent_at=timezone.now(), provider_id=provider_id[:128], lease_until=None,
                          last_error="")
    return "sent"


def _held(message: Message):
    return Message.objects.filter(pk=message.pk, claim=message.claim, status=S.SENDING)


def _failed(message: Message, error: DeliveryError, now) -> str:
    reason = _scrub(str(error))
    if error.permanent or message.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        _held(message).update(status=S.FAILED, last_error=reason, lease_until=None)
        log.warning("notification %s to %s failed for good: %s", message.pk, message.recipient_masked, reason)
        return "failed"
    _held(message).update(status=S.QUEUED, last_error=reason, lease_until=None,
                          not_before=now + policy.backoff(message.attempts))
    log.info("notification %s to %s will be retried: %s", message.pk, message.recipient_masked, reason)
    return "retried"


def _scrub(text: str) -> str:
    """Provider errors may echo the number: keep no run of 7 or more digits."""
    return re.sub(r"\d{7,}", lambda m: m.group()[:3] + "****" + m.group()[-2:], text)[:300]


def recover_stale(*, now) -> int:
    recovered = 0
    for message in Message.objects.filter(status=S.SENDING, lease_until__lt=now).order_by("id")[:500]:
        went_out = adapter_for(message.channel).was_sent(message)
        if went_out is True:
            changed = _held(message).update(status=S.SENT, sent_at=now, lease_until=None)
        elif went_out is False:
            changed = _held(message).update(status=S.QUEUED, lease_until=None, not_before=now)
        else:
            changed = _held(message).update(status=S.FAILED, lease_until=None,
                                            last_error="worker stopped while sending; outcome unknown")
        recovered += changed
    return recovered
