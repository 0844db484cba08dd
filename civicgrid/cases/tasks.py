"""Periodic case jobs, each idempotent: deadline sweep with escalation, parked-case review reminders,
statistics rollup refresh, removal of photo files left by rolled-back reports."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from civicgrid.cases import photos, rollup
from civicgrid.cases.services import remind_park_reviews, sweep_deadlines


@db_periodic_task(crontab(minute="*/10"))
def sweep_overdue_cases():
    return sweep_deadlines()


@db_periodic_task(crontab(hour="8", minute="7"))
def remind_parked_cases():
    return remind_park_reviews()


@db_periodic_task(crontab(minute="*/5"))
def refresh_statistics():
    return rollup.refresh()


@db_periodic_task(crontab(hour="3", minute="41"))
def sweep_orphan_photos():
    return photos.sweep_orphans()
