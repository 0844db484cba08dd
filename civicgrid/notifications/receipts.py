"""Delivery reports: asking the SMS provider what became of the messages it accepted.

A periodic task collects the sent SMS of the last few days and hands them to the SMS adapter's `receipts`
(adapters without one, such as the file adapter, report nothing). Each receipt marks its message `delivered`
or `failed` with the provider's reason; a message not yet reported stays `sent` and is asked about again until
it leaves the window. Only `sent` rows change, so a report never overrides a newer outcome."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from civicgrid.notifications import addresses
from civicgrid.notifications.adapters import adapter_for
from civicgrid.notifications.models import Message
from civicgrid.notifications.registry import Channel

log = logging.getLogger(__name__)
WINDOW = timedelta(days=3)  # operators report within minutes; a report that has not come in 3 days will not
BATCH = 200


@dataclass(frozen=True)
class Receipt:
    message_id: int
    delivered: bool
    reason: str = ""            # the provider's status code or description
    at: datetime | None = None  # when the handset received it (delivered) or the operator gave up


def poll_sms_receipts(*, now=None) -> dict[str, int]:
    now = now or timezone.now()
    adapter = adapter_for(Channel.SMS)
    if not hasattr(adapter, "receipts"):
        return {"delivered": 0, "failed": 0}
    pending = list(Message.objects.filter(channel=Channel.SMS, status=Message.Status.SENT,
                                          sent_at__gte=now - WINDOW).exclude(provider_id="").order_by("id")[:BATCH])
    if not pending:
        return {"delivered": 0, "failed": 0}
    return apply(adapter.receipts(pending, addresses.rows_for(pending)), now=now)


def apply(receipts: list[Receipt], *, now) -> dict[str, int]:
    counts = {"delivered": 0, "failed": 0}
    for receipt in receipts:
        still_sent = Message.objects.filter(pk=receipt.message_id, status=Message.Status.SENT)
        if receipt.delivered:
            changed = still_sent.update(status=Message.Status.DELIVERED, delivered_at=receipt.at or now)
        else:
            changed = still_sent.update(status=Message.Status.FAILED,
                                        last_error=f"not delivered: {receipt.reason}"[:300])
        counts["delivered" if receipt.delivered else "failed"] += changed
    if counts["failed"]:
        log.warning("%d SMS reported undelivered by the provider", counts["failed"])
    return counts


def provider_time(text: str) -> datetime | None:
    """'2024-05-06 08:03:15' in China time, as both providers write it."""
    try:
        return timezone.make_aware(datetime.strptime(text, "%Y-%m-%d %H:%M:%S"), timezone.get_default_timezone())
    except (TypeError, ValueError):
        return None
