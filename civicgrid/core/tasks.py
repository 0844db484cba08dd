from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from civicgrid.core import audit, leases


@db_periodic_task(crontab(hour="3", minute="17"))
def purge_old_audit_events():
    """Nightly, idempotent: deletes only what is past retention, anchoring the chain."""
    return audit.purge()


@db_periodic_task(crontab(minute="*"))
def reap_lost_tasks():
    """Every minute, on whichever worker claims the tick: re-queue the tasks of workers that died."""
    return [(r.task_id, r.name, r.given_up) for r in leases.reap(enqueue=HUEY.enqueue_message)]
