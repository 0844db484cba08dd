"""Reads: the actor's own inbox and settings; the dead letters for the admin."""

from django.db.models import QuerySet

from civicgrid.notifications import registry
from civicgrid.notifications.models import Contact, Message, Notification, Preference
from civicgrid.notifications.registry import EventKind


def inbox(*, actor) -> QuerySet[Notification]:
    return Notification.objects.visible_to(actor).filter(user=actor)


def unread_count(*, actor) -> int:
    return inbox(actor=actor).filter(read_at__isnull=True).count()


def kinds_for(*, actor) -> list[EventKind]:
    """The event kinds the actor may receive (what the preferences page lists)."""
    return [k for k in registry.kinds() if k.may_receive(actor.role) and not k.name.startswith("notifications.")]


def preferences(*, actor) -> dict[str, tuple[str, ...]]:
    saved = {p.kind: tuple(p.channels) for p in Preference.objects.visible_to(actor).filter(user=actor)}
    return {k.name: saved.get(k.name, k.default_channels(actor.role)) for k in kinds_for(actor=actor)}


def contact(*, actor) -> Contact:
    return Contact.objects.visible_to(actor).filter(user=actor).first() or Contact(user=actor)


def dead_letters() -> QuerySet[Message]:
    """For the admin (superusers only reach it)."""
    return Message.objects.filter(status=Message.Status.FAILED).order_by("-created_at")
