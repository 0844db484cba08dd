"""The task queue (huey) as civicgrid runs it: nothing lost when a worker stops or dies.

- Every task a consumer runs holds a lease (core.leases) while it runs; a worker killed with -9 leaves
  an expiring lease, and the reaper on any other worker re-queues the task.
- SIGTERM (systemd's and Docker's stop signal) is a graceful stop (settings.HUEY["consumer"]): running
  tasks finish; those still running after `CIVICGRID_WORKER_STOP_SECONDS` are put back on the queue.
- Every worker schedules the periodic jobs and each tick of a job is claimed once in the shared cache
  (Redis when there are several machines), so any worker can die without periodic jobs stopping and
  none runs twice per tick.
"""

import logging
from typing import Any

from django.core.cache import cache
from huey import RedisHuey, SqliteHuey, signals

log = logging.getLogger(__name__)

PERIODIC_CLAIM_SECONDS = 3600


class LeasedHueyMixin:
    """Leases around task execution, re-queue on interrupt, periodic ticks claimed once across workers."""

    storage: Any  # huey.Huey's

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.signal(signals.SIGNAL_INTERRUPTED)(self._requeue_interrupted)

    def _execute(self, task, timestamp):
        if self._immediate:
            return super()._execute(task, timestamp)
        from civicgrid.core import leases  # not at import time: huey is set up before the models are

        task_id = str(task.id)
        leases.take(task_id=task_id, name=self._registry.task_to_string(type(task)),
                    message=self.serialize_task(task))
        try:
            return super()._execute(task, timestamp)
        finally:
            leases.release(task_id=task_id)

    def _requeue_interrupted(self, signal, task, *args):
        """A graceful stop ran out of time while `task` ran: put it back on the queue for another worker."""
        if self._immediate:
            return
        from civicgrid.core import leases

        log.warning("worker stopping: re-queueing %s", task)
        if leases.hand_back(task_id=str(task.id), enqueue=self.enqueue_message) is None:
            self.storage.enqueue(self.serialize_task(task), task.priority)  # no lease (given up meanwhile)

    def read_periodic(self, timestamp):
        if timestamp is None:
            timestamp = self._get_timestamp()
        due = super().read_periodic(timestamp)
        tick = timestamp.strftime("%Y%m%d%H%M")
        return [task for task in due if cache.add(
            f"civicgrid:periodic:{self.name}:{self._registry.task_to_string(type(task))}:{tick}", 1,
            timeout=PERIODIC_CLAIM_SECONDS)]

    def enqueue_message(self, message: bytes) -> None:
        """Put a serialized task (as a lease keeps it) back on the queue."""
        self.storage.enqueue(message)


class RedisQueue(LeasedHueyMixin, RedisHuey):
    pass


class SqliteQueue(LeasedHueyMixin, SqliteHuey):
    pass
