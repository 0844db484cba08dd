"""Every notification write: publishing an event, reading the inbox, preferences, dead letters."""

from django.core import signing
from django.db import transaction
from django.utils import timezone

from civicgrid.core import audit
from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.notifications import fanout, registry
from civicgrid.notifications.models import Contact, Digest, Message, Notification, Preference
from civicgrid.notifications.recipients import Recipient
from civicgrid.notifications.registry import OUTSIDE_CHANNELS, Channel

UNSUBSCRIBE_SALT = "civicgrid.notifications.unsubscribe"


def publish(*, kind: str, key: str, recipients: list[Recipient], params: dict | None = None, url: str = "",
            now=None) -> int:
    """Fan an event out to its recipients, inside the caller's transaction (whose audit event covers it).
    `key` names the event: publishing the same kind and key again adds nothing. Delivery is queued on commit.
    Returns the number of inbox entries and outbox messages planned."""
    return publish_all([{"kind": kind, "key": key, "recipients": recipients, "params": params, "url": url}],
                       now=now)


def publish_all(events: list[dict], *, now=None) -> int:
    """Several events of one transaction at once (each a dict of `publish`'s keywords but `now`): the same as
    publishing them one by one, with their recipients read and their rows written once for all."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("publish must be called inside the transaction of the change it announces")
    planned = fanout.plan_all([fanout.Event(registry.kind(e["kind"]), e["key"], list(e["recipients"]),
                                            {k: str(v) for k, v in (e.get("params") or {}).items()}, e.get("url", ""))
                               for e in events], now or timezone.now())
    Notification.objects.bulk_create(planned.notifications, ignore_conflicts=True)
    Message.objects.bulk_create(planned.messages, ignore_conflicts=True)
    if any(m.status == Message.Status.QUEUED for m in planned.messages):
        _deliver_after_commit()
    return len(planned.notifications) + len(planned.messages)


def _deliver_after_commit() -> None:
    """One delivery task per transaction, however many events it published (nothing if it rolls back)."""
    connection = transaction.get_connection()
    if not any(entry[1] is _enqueue_delivery for entry in connection.run_on_commit):
        transaction.on_commit(_enqueue_delivery)


def _enqueue_delivery() -> None:
    from civicgrid.notifications.tasks import deliver

    deliver()


@transaction.atomic
def mark_read(*, actor, notification_ids: list[int] | None = None) -> int:
    """Mark the actor's own notifications read (all unread ones when no ids are given)."""
    unread = Notification.objects.visible_to(actor).filter(user=actor, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    count = unread.update(read_at=timezone.now())
    if count:
        audit.record(actor=actor, action="notifications.mark_read", target=actor, detail={"count": count})
    return count


def set_preferences(*, actor, choices: dict[str, list[str]], digest: str | None = None,
                    muted: bool | None = None, language: str | None = None) -> None:
    """Save the channels the actor wants per event kind, their digest frequency and 'only what I must receive'."""
    for name, channels in choices.items():
        if not registry.kind(name).may_receive(actor.role):
            raise NotFound()
        if set(channels) - set(OUTSIDE_CHANNELS) - {Channel.INBOX}:
            raise ValidationFailed(code="invalid_channel", field=name)
    if digest is not None and digest not in Digest.values:
        raise ValidationFailed(code="invalid_choice", field="digest")
    with transaction.atomic():
        for name, channels in choices.items():
            Preference.objects.update_or_create(user=actor, kind=name, defaults={"channels": sorted(set(channels))})
        contact, _ = Contact.objects.get_or_create(user=actor)
        contact.digest = digest or contact.digest
        contact.muted = contact.muted if muted is None else muted
        contact.language = language or contact.language
        contact.save(update_fields=["digest", "muted", "language"])
        audit.record(actor=actor, action="notifications.preferences", target=actor,
                     detail={"kinds": sorted(choices), "digest": contact.digest, "muted": contact.muted})


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe(*, token: str) -> tuple[int, str]:
    """The link in every e-mail: stop e-mail for that kind (no sign-in needed; the token is signed)."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=60 * 60 * 24 * 365)
    except signing.BadSignature:
        raise NotFound(code="invalid_unsubscribe_link") from None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=data["u"]).first()
    if user is None:
        raise NotFound(code="invalid_unsubscribe_link")
    kind = registry.kind(data["k"]) if data["k"] in {k.name for k in registry.kinds()} else None
    if kind is None or kind.mandatory:  # no link is made for a mandatory kind; an old or forged one does nothing
        raise NotFound(code="invalid_unsubscribe_link")
    with transaction.atomic():
        current = Preference.objects.filter(user=user, kind=kind.name).first()
        channels = list(current.channels) if current else list(kind.default_channels(user.role))
        Preference.objects.update_or_create(user=user, kind=kind.name,
                                            defaults={"channels": [c for c in channels if c != Channel.EMAIL]})
        audit.record(actor=user, action="notifications.unsubscribe", target=user, detail={"kind": kind.name})
    return user.pk, kind.name


def requeue(*, actor, message_ids: list[int]) -> int:
    """Give dead letters another try (from the admin's dead-letter list)."""
    with transaction.atomic():
        dead = Message.objects.visible_to(actor).filter(pk__in=message_ids, status=Message.Status.FAILED)
        ids = list(dead.values_list("pk", flat=True))
        count = Message.objects.filter(pk__in=ids).update(status=Message.Status.QUEUED, attempts=0, last_error="",
                                                          not_before=timezone.now(), lease_until=None, claim="")
        audit.record(actor=actor, action="notifications.requeue", target_type="notifications.message",
                     detail={"messages": ids})
        if count:
            _deliver_after_commit()
    return count


def set_contact(*, actor, phone: str | None = None, wechat_openid: str | None = None) -> Contact:
    """The actor's own phone (for SMS; kept encrypted) and WeChat OpenID; an empty value removes it."""
    from civicgrid.core.encrypted import seal
    from civicgrid.core.personal import mask_phone, normalize_phone

    with transaction.atomic():
        contact, _ = Contact.objects.select_for_update().get_or_create(user=actor)
        if phone is not None:
            number = normalize_phone(phone) if phone else ""
            seal(contact, "phone", number)
            contact.phone_masked = mask_phone(number) if number else ""
        if wechat_openid is not None:
            contact.wechat_openid = wechat_openid.strip()[:64]
        contact.save()
        audit.record(actor=actor, action="notifications.contact", target=actor,
                     detail={"phone": contact.phone_masked, "wechat": bool(contact.wechat_openid)})
    return contact
