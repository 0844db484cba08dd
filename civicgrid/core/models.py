from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicgrid.core.scoping import ScopedManager, managed_area_of


def _auditor_rule(actor) -> Q:
    """Besides the events about records of their area: an auditor always sees their own actions, and the
    district office (a 6-digit area) also the events about no area (sign-ins, imports, administration)."""
    rule = Q(actor_id=actor.pk)
    area = managed_area_of(actor)
    if area is not None and len(area) <= 6:
        rule |= Q(region_code="")
    return rule


class AuditEvent(models.Model):
    """One link of the append-only, hash-chained audit log. Rows are never updated or deleted
    except by the retention purge, which moves the chain's anchor forward.

    The log is `settings.AUDIT_CHAINS` independent chains (1..N) so concurrent writers do not queue on
    one head row: `seq` counts within a chain, and (`at`, `id`) orders the whole log for display."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("success")
        DENIED = "denied", _("denied")
        FAILED = "failed", _("failed")

    chain = models.PositiveSmallIntegerField(default=1)
    seq = models.BigIntegerField()
    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    region_code = models.CharField(max_length=15, blank=True, db_index=True)
    ip = models.CharField(max_length=45, blank=True)
    correlation_id = models.CharField(max_length=32, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    # Who reads which events (the auditor's page and the admin): see civicgrid/core/audit_log.py.
    objects = ScopedManager(region="region_code", owner=_auditor_rule, manager=_auditor_rule)

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_chain_seq")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"#{self.chain}.{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit events are append-only")


class AuditChainHead(models.Model):
    """One row per chain (`id` is the chain number, 1..N): the last link written and the anchor left by the
    last purge. Locking it serializes appends to that chain so its `seq` stays gap-free and each link names
    its true predecessor; writers holding different chains do not wait for each other."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    anchor_seq = models.BigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self):
        return f"audit chain {self.id} at #{self.last_seq}"


class CalendarOverride(models.Model):
    """Admin-maintained workday status for dates the calendar package does not know or gets wrong."""

    date = models.DateField(unique=True)
    is_workday = models.BooleanField(verbose_name=_("is a working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self):
        return f"{self.date} {'workday' if self.is_workday else 'holiday'}"


class TaskLease(models.Model):
    """A background task a worker is running (or that was re-queued after its worker was lost).

    Written when a task starts and deleted when it ends; the worker's heartbeat keeps `expires_at` in the
    future while it runs. A lease that expires belongs to a worker that died (kill -9, OOM, lost machine):
    the reaper (`core.tasks.reap_lost_tasks`) puts its message back on the queue. See core/taskqueue.py."""

    task_id = models.CharField(max_length=64, primary_key=True)
    name = models.CharField(max_length=200)
    message = models.BinaryField()
    owner = models.CharField(max_length=120, blank=True)  # host:pid:nonce of the worker; "" while re-queued
    expires_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveIntegerField(default=0)  # times it was recovered from a lost worker
    started_at = models.DateTimeField()

    class Meta:
        verbose_name = _("task lease")
        verbose_name_plural = _("task leases")

    def __str__(self) -> str:
        return f"{self.name} {self.task_id}"
