"""Cockpit jobs, idempotent: the rollups catch up with changed records every 5 minutes (and soon after a case
changes state, through the cases hook), and the monthly reports are made on the first working day of a month."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from civicgrid.cockpit import rollup, services


@db_periodic_task(crontab(minute="*/5"))
def refresh_rollups():
    return rollup.refresh()


@db_task()
def refresh_soon():
    return rollup.refresh()


@db_periodic_task(crontab(hour="6", minute="17"))
def make_monthly_reports():
    return services.monthly_reports_due()
