from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from civicgrid.core import audit


@db_periodic_task(crontab(hour="3", minute="17"))
def purge_old_audit_events():
    """Nightly, idempotent: deletes only what is past retention, anchoring the chain."""
    return audit.purge()
