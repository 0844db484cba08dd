"""Periodic consultation jobs, idempotent: close votes whose period has ended and tally them."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from civicgrid.consultation import services


@db_periodic_task(crontab(minute="*"))
def close_due_votes():
    return services.close_due_votes()
