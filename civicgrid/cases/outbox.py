"""Pluggable delivery of outside messages (SMS, e-mail). The adapter is `settings.CASES_OUTBOX_ADAPTER`
(a dotted path); the default writes one line per message, recipient masked, to DATA_DIR/outbox.log."""

import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from civicgrid.cases.models import OutboxMessage
from civicgrid.core.encrypted import unseal

log = logging.getLogger(__name__)


class FileAdapter:
    """Appends to a file; the real recipient is never written out, only the masked copy."""

    def send(self, message: OutboxMessage, recipient: str) -> None:
        path = Path(settings.DATA_DIR) / "outbox.log"
        with path.open("a", encoding="utf-8") as out:
            out.write(f"{timezone.now().isoformat()} {message.channel} {message.recipient_masked} {message.body}\n")


class ConsoleAdapter:
    def send(self, message: OutboxMessage, recipient: str) -> None:
        log.info("outbox %s to %s: %s", message.channel, message.recipient_masked, message.body)


def adapter():
    return import_string(getattr(settings, "CASES_OUTBOX_ADAPTER", "civicgrid.cases.outbox.FileAdapter"))()


def deliver_pending(limit: int = 200) -> int:
    """Send what is waiting; idempotent (a sent message is marked and never sent again)."""
    sender, sent = adapter(), 0
    for message in OutboxMessage.objects.filter(sent_at__isnull=True, attempts__lt=5).order_by("id")[:limit]:
        claimed = OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(sent_at=timezone.now())
        if not claimed:
            continue
        try:
            sender.send(message, unseal(message, "recipient"))
            sent += 1
        except Exception:  # an adapter failure must not lose the message: retry later
            log.exception("outbox delivery failed for message %s", message.pk)
            OutboxMessage.objects.filter(pk=message.pk).update(sent_at=None, attempts=message.attempts + 1)
    return sent
