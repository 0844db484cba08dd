"""Delivery of the outbox (queued on commit by `services.publish`, and every minute for retries, the end of
quiet hours and workers that died), and the hourly digest run. All idempotent."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from civicgrid.notifications import delivery, digests, receipts


@db_task()
def deliver():
    return delivery.deliver_all().__dict__


@db_periodic_task(crontab(minute="*"))
def deliver_due_messages():
    return delivery.deliver_all().__dict__


@db_periodic_task(crontab(minute="3"))
def send_digests():
    return digests.send_digests()


@db_periodic_task(crontab(minute="*/5"))
def poll_sms_receipts():
    return receipts.poll_sms_receipts()
