"""One notification service for every module: event kinds, fan-out to channels, delivery with retries.

A module publishes an event inside its service's transaction:

    from civicgrid.notifications import Recipient, publish

    publish(kind="cases.replied", key=f"case-event:{event.pk}", recipients=[Recipient.user(case.reporter)],
            params={"number": case.number}, url=f"/cases/{case.pk}/")

Event kinds are registered once (see `registry.EventKind` and README "Notifications").
"""

from civicgrid.notifications.recipients import Recipient
from civicgrid.notifications.registry import EventKind, SmsTemplate, Urgency, register


def publish(**event) -> int:
    """See `services.publish` (imported late: this package is loaded before the models are)."""
    from civicgrid.notifications.services import publish as publish_event

    return publish_event(**event)


def publish_all(events: list[dict], **options) -> int:
    """See `services.publish_all`."""
    from civicgrid.notifications.services import publish_all as publish_events

    return publish_events(events, **options)

__all__ = ["EventKind", "Recipient", "SmsTemplate", "Urgency", "publish", "publish_all", "register"]
