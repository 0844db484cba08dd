"""The in-app inbox, the outbox of messages for outside channels, and each person's contact and preferences."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicgrid.core.encrypted import encrypted_fields
from civicgrid.core.scoping import ScopedManager


def _own(actor) -> Q:
    return Q(user=actor)


class Notification(models.Model):
    """An in-app inbox entry: one per event and user (the unique key makes publishing twice harmless)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=64)
    event_key = models.CharField(max_length=120)
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region=None, owner=_own)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "kind", "event_key"], name="notification_once")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        verbose_name = _("in-app notification")
        verbose_name_plural = _("in-app notifications")

    def __str__(self):
        return self.text


class Message(models.Model):
    """One message for an outside channel, created in the transaction of the event that caused it.

    The address is not copied here: `address_model`/`address_pk`/`address_field` name the encrypted column
    (or the user's e-mail) it is read from at send time, so it is decrypted only then."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed (dead letter)")
        HELD = "held", _("held for the digest")
        DIGESTED = "digested", _("sent in a digest")

    key = models.CharField(max_length=64, unique=True)  # idempotency: one message per event, recipient, channel
    kind = models.CharField(max_length=64, db_index=True)
    event_key = models.CharField(max_length=120)
    channel = models.CharField(max_length=16)
    urgency = models.CharField(max_length=16)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    address_model = models.CharField(max_length=64)
    address_pk = models.CharField(max_length=64)
    address_field = models.CharField(max_length=32)
    recipient_masked = models.CharField(max_length=64)
    language = models.CharField(max_length=8, default="zh-hans")
    params = models.JSONField(default=dict)
    url = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    not_before = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    provider_id = models.CharField(max_length=128, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    digest = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region=None, owner=_own)

    class Meta:
        indexes = [
            models.Index(fields=["status", "not_before"], name="message_due"),
            models.Index(fields=["user", "channel", "created_at"], name="message_user_channel"),
        ]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")

    def __str__(self):
        return f"{self.channel} {self.kind} {self.recipient_masked} {self.status}"


class Digest(models.TextChoices):
    IMMEDIATELY = "immediately", _("immediately")
    DAILY = "daily", _("daily digest")
    WEEKLY = "weekly", _("weekly digest")


@encrypted_fields("phone")
class Contact(models.Model):
    """How a user is reached beyond the inbox, and their general choices. The e-mail address is the user's."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact")
    row_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    phone_cipher = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=16, blank=True, editable=False)
    wechat_openid = models.CharField(_("WeChat OpenID"), max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=8, default="zh-hans")
    digest = models.CharField(_("digest"), max_length=16, choices=Digest.choices, default=Digest.DAILY)
    muted = models.BooleanField(_("only what I must receive"), default=False)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region=None, owner=_own)

    class Meta:
        verbose_name = _("contact details")
        verbose_name_plural = _("contact details")

    def __str__(self):
        return f"contact of {self.user_id}"


class Preference(models.Model):
    """The channels a user wants for one event kind (the inbox is always on)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=64)
    channels = models.JSONField(default=list)

    objects = ScopedManager(region=None, owner=_own)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_once")]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.channels}"
