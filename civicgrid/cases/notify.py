"""Notifications to everyone following a case: the in-app inbox for users, the outbox for phone numbers (the
case's own reporter phone and those of merged cases' reporters).
Called inside the service's transaction; delivery is queued on commit."""

from django.db import transaction
from django.utils.translation import gettext as _

from civicgrid.cases.models import Case, Follower, Notification, OutboxMessage
from civicgrid.core.encrypted import seal, unseal


def case_changed(case: Case, text: str) -> None:
    followers = list(Follower.objects.filter(case=case))
    Notification.objects.bulk_create([Notification(user_id=f.user_id, case=case, text=text[:300])
                                      for f in followers if f.user_id])
    phones = [(unseal(f, "phone"), f.phone_masked) for f in followers if f.phone_cipher]
    if case.phone_cipher:
        phones.append((unseal(case, "phone"), case.phone_masked))
    body = _("Case %(number)s: %(text)s") % {"number": case.number, "text": text}
    messages = [_outbox_message(phone, masked, body) for phone, masked in phones]
    if messages:
        OutboxMessage.objects.bulk_create(messages)
        transaction.on_commit(_enqueue_delivery)


def _outbox_message(phone: str, masked: str, body: str) -> OutboxMessage:
    message = OutboxMessage(recipient_masked=masked, body=body)
    seal(message, "recipient", phone)
    return message


def notify_user(user, case: Case, text: str) -> None:
    if user is not None:
        Notification.objects.create(user=user, case=case, text=text[:300])


def _enqueue_delivery() -> None:
    from civicgrid.cases.tasks import deliver_outbox

    deliver_outbox()
