"""Daily and weekly digests: what was held back (routine events, SMS over the daily limit) goes out as one
e-mail per user; without an e-mail address the items stay in the inbox, where every event already is."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from civicgrid.notifications import fanout
from civicgrid.notifications.kinds import DIGEST
from civicgrid.notifications.models import Contact, Digest, Message
from civicgrid.notifications.recipients import AddressRef
from civicgrid.notifications.registry import Channel

PERIOD = {Digest.DAILY: timedelta(days=1), Digest.WEEKLY: timedelta(days=7), Digest.IMMEDIATELY: timedelta(0)}
SLACK = timedelta(hours=1)  # the hourly job may run a little early or late


def send_digests(*, now=None) -> int:
    """Idempotent: a user's held messages are taken once, and the digest's key names the hour it was made."""
    now = now or timezone.now()
    if timezone.localtime(now).hour < settings.NOTIFY_DIGEST_HOUR:
        return 0
    made = 0
    users = Message.objects.filter(status=Message.Status.HELD, user__isnull=False).values_list("user_id", flat=True)
    for user_id in sorted(set(users)):
        made += _digest_for(user_id, now)
    if made:
        from civicgrid.notifications.services import _deliver_after_commit

        with transaction.atomic():
            _deliver_after_commit()
    return made


def _digest_for(user_id: int, now) -> int:
    with transaction.atomic():
        contact, _ = Contact.objects.select_for_update().get_or_create(user_id=user_id)
        if contact.last_digest_at and now - contact.last_digest_at < PERIOD[Digest(contact.digest)] - SLACK:
            return 0
        held = list(Message.objects.select_for_update().filter(user_id=user_id, status=Message.Status.HELD))
        if not held:
            return 0
        user = get_user_model().objects.get(pk=user_id)
        digest = None
        if user.email:
            event_key = f"digest:{user_id}:{timezone.localtime(now):%Y%m%d%H}"
            digest = Message.objects.create(
                key=fanout.message_key(DIGEST.name, event_key, f"user:{user_id}", Channel.EMAIL), kind=DIGEST.name,
                event_key=event_key, channel=Channel.EMAIL, urgency=DIGEST.urgency, user_id=user_id,
                address_model=AddressRef.of(user, "email", "").model, address_pk=str(user_id), address_field="email",
                recipient_masked=f"{user.email[:1]}***@{user.email.partition('@')[2]}", language=contact.language,
                params={"count": str(len(held))}, not_before=now)
        Message.objects.filter(pk__in=[m.pk for m in held]).update(status=Message.Status.DIGESTED, digest=digest)
        contact.last_digest_at = now
        contact.save(update_fields=["last_digest_at"])
    return 1
