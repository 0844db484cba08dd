"""Leases on running background tasks, so that a task whose worker dies is run again.

A worker takes a lease (a `TaskLease` row holding the task's queue message) when a task starts and drops
it when the task ends. One heartbeat thread per worker process pushes the expiry of its leases forward
every third of `TASK_LEASE_SECONDS`. A lease past its expiry belongs to a dead worker: `reap()` (run every
minute by any worker) puts the message back on the queue, or, after `TASK_MAX_RECOVERIES` recoveries,
gives the task up and calls the hooks registered for it with the reason (so e.g. a service-circle run is
marked failed instead of "running" forever). Recovered tasks run again, so every task must be idempotent.
"""

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext

from civicgrid.core import audit
from civicgrid.core.models import AuditEvent, TaskLease

log = logging.getLogger(__name__)

AbandonHook = Callable[[tuple, dict, str], None]
_abandon_hooks: dict[str, AbandonHook] = {}
_current = threading.local()


@dataclass(frozen=True)
class Recovered:
    task_id: str
    name: str
    attempts: int
    given_up: bool


def lease_seconds() -> int:
    return int(getattr(settings, "TASK_LEASE_SECONDS", 60))


def max_recoveries() -> int:
    return int(getattr(settings, "TASK_MAX_RECOVERIES", 3))


def on_abandon(task_name: str) -> Callable[[AbandonHook], AbandonHook]:
    """Register `hook(args, kwargs, reason)`, called when the task named `task_name` is given up."""
    def register(hook: AbandonHook) -> AbandonHook:
        _abandon_hooks[task_name] = hook
        return hook
    return register


def recovery_attempt() -> int:
    """0 on a task's first run; n when this run is its n-th recovery from a lost worker."""
    return getattr(_current, "attempts", 0)


_owner: tuple[int, str] | None = None


def owner() -> str:
    """host:pid:nonce of this worker process (recomputed after a fork)."""
    global _owner
    if _owner is None or _owner[0] != os.getpid():
        _owner = (os.getpid(), f"{socket.gethostname()[:80]}:{os.getpid()}:{uuid.uuid4().hex[:8]}")
    return _owner[1]


def take(*, task_id: str, name: str, message: bytes) -> int:
    """Lease a task this process starts; returns how often it was recovered before."""
    now = timezone.now()
    lease, created = TaskLease.objects.update_or_create(task_id=task_id, defaults={
        "name": name[:200], "message": message, "owner": owner(), "started_at": now,
        "expires_at": now + timedelta(seconds=lease_seconds())})
    _Heartbeat.ensure_running()
    _current.attempts = 0 if created else lease.attempts
    return _current.attempts


def release(*, task_id: str) -> None:
    _current.attempts = 0
    TaskLease.objects.filter(task_id=task_id, owner=owner()).delete()


def renew() -> int:
    """Push the expiry of this process's leases forward; returns how many."""
    expires = timezone.now() + timedelta(seconds=lease_seconds())
    return TaskLease.objects.filter(owner=owner()).update(expires_at=expires)


def reap(*, enqueue: Callable[[bytes], None], limit: int = 100) -> list[Recovered]:
    """Re-queue (or give up) the tasks of workers that died. Safe to run on several workers at once:
    each expired lease is claimed by one conditional UPDATE."""
    recovered = []
    for lease in TaskLease.objects.filter(expires_at__lt=timezone.now()).order_by("expires_at")[:limit]:
        outcome = _claim_and_recover(lease, enqueue=enqueue, why="worker lost")
        if outcome is not None:
            recovered.append(outcome)
    return recovered


def hand_back(*, task_id: str, enqueue: Callable[[bytes], None]) -> Recovered | None:
    """A stopping worker could not finish `task_id` in time: re-queue it as a recovery (so work it left
    half-done, such as a run marked "running", is reopened by the next run)."""
    # This process's heartbeat renews the lease concurrently; the claim below is conditional on the expiry it
    # read, so a renewal in between made it miss and the task went back on the queue as a first run (its run
    # "running" and never reopened). Stop renewing, then retry the claim against a fresh read.
    stop_heartbeat()
    for _ in range(5):
        lease = TaskLease.objects.filter(task_id=task_id).first()
        if lease is None:
            return None
        recovered = _claim_and_recover(lease, enqueue=enqueue, why="worker stopped")
        if recovered is not None:
            return recovered
    return None


def _claim_and_recover(lease: TaskLease, *, enqueue: Callable[[bytes], None], why: str) -> Recovered | None:
    now = timezone.now()
    # while re-queued, a task may wait behind others: give it ten leases before suspecting it again
    claimed = TaskLease.objects.filter(pk=lease.pk, expires_at=lease.expires_at, owner=lease.owner).update(
        owner="", attempts=F("attempts") + 1, expires_at=now + timedelta(seconds=10 * lease_seconds()))
    return _recover(lease, enqueue=enqueue, why=why) if claimed else None


def _recover(lease: TaskLease, *, enqueue: Callable[[bytes], None], why: str) -> Recovered:
    attempts = lease.attempts + 1
    given_up = attempts > max_recoveries()
    detail = {"task": lease.name, "task_id": lease.task_id, "worker": lease.owner, "attempts": attempts, "why": why}
    if given_up:
        with translation.override(settings.LANGUAGE_CODE):  # stored, and shown to whoever looks at the run
            reason = gettext("Given up: its task worker stopped or was lost %(count)d times while running it.") % {
                "count": attempts}
        _call_abandon_hook(lease, reason)
        with transaction.atomic():
            TaskLease.objects.filter(pk=lease.pk).delete()
            audit.record(actor=None, action="core.task.abandon", target_type="core.tasklease",
                         target_id=lease.task_id, outcome=AuditEvent.Outcome.FAILED,
                         detail={**detail, "reason": reason})
    else:
        with transaction.atomic():
            audit.record(actor=None, action="core.task.requeue", target_type="core.tasklease",
                         target_id=lease.task_id, detail=detail)
        enqueue(bytes(lease.message))
    log.warning("task %s (%s) of worker %s (%s) %s", lease.name, lease.task_id, lease.owner, why,
                "given up" if given_up else "re-queued")
    return Recovered(lease.task_id, lease.name, attempts, given_up)


def _call_abandon_hook(lease: TaskLease, reason: str) -> None:
    hook = _abandon_hooks.get(lease.name)
    if hook is None:
        return
    from huey.contrib.djhuey import HUEY

    task = HUEY.deserialize_task(bytes(lease.message))
    hook(tuple(task.args or ()), dict(task.kwargs or {}), reason)


def stop_heartbeat() -> None:
    """Stop this process's heartbeat thread (it starts again with the next lease)."""
    with _Heartbeat._lock:
        if _Heartbeat._instance is not None:
            _Heartbeat._instance.stopping.set()
            _Heartbeat._instance = None


class _Heartbeat(threading.Thread):
    """One per worker process: renews the leases of the tasks this process runs."""

    _instance: "_Heartbeat | None" = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        super().__init__(name="civicgrid-lease-heartbeat", daemon=True)
        self.pid = os.getpid()
        self.stopping = threading.Event()

    @classmethod
    def ensure_running(cls) -> None:
        with cls._lock:
            if cls._instance is None or cls._instance.pid != os.getpid() or not cls._instance.is_alive():
                cls._instance = cls()
                cls._instance.start()

    def run(self) -> None:
        while not self.stopping.wait(max(lease_seconds() / 3, 0.5)):
            try:
                close_old_connections()
                renew()
            except Exception:  # noqa: BLE001 - a missed beat is retried; the lease still has two thirds left
                log.exception("lease heartbeat failed")
                connection.close()
        connection.close()
