"""Notifications to everyone following a case: the in-app inbox for users, the outbox for phone numbers (the
case's own reporter phone and those of merged cases' reporters).
Called inside the service's transaction; delivery is queued on commit."""

from django.db import transaction
from django.utils.translation import gettext as _

from civicgrid.cases.models import Case, Follower, Notification, OutboxMessage


def case_changed(case: Case, text: str) -> None:
    followers = list(Follower.objects.filter(case=case))
    if case.phone_cipher:
        followers.append(Follower(case=case, phone_cipher=case.phone_cipher, phone_masked=case.phone_masked))
    Notification.objects.bulk_create([Notification(user_id=f.user_id, case=case, text=text[:300])
                                      for f in followers if f.user_id])
    messages = [OutboxMessage(recipient_cipher=f.phone_cipher, recipient_masked=f.phone_masked,
                              body=_("Case %(number)s: %(text)s") % {"number": case.number, "text": text})
                for f in followers if f.phone_cipher]
    if messages:
        OutboxMessage.objects.bulk_create(messages)
        transaction.on_commit(_enqueue_delivery)


def notify_user(user, case: Case, text: str) -> None:
    if user is not None:
        Notification.objects.create(user=user, case=case, text=text[:300])


def _enqueue_delivery() -> None:
    from civicgrid.cases.tasks import deliver_outbox

    deliver_outbox()
