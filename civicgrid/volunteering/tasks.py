"""Periodic volunteering jobs, each idempotent: close finished shifts (no-shows), expire unconfirmed
redemption codes, escalate unanswered help requests, expire old points, remind tomorrow's volunteers."""

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from civicgrid.volunteering import services
from civicgrid.volunteering.models import Shift


@db_periodic_task(crontab(minute="*/15"))
def close_finished_shifts():
    due = Shift.objects.filter(no_shows_marked=False, ends_at__lt=timezone.now() - timedelta(hours=2))
    return [services.close_shift(shift_id=pk) for pk in due.values_list("pk", flat=True)]


@db_periodic_task(crontab(hour="18", minute="0"))
def remind_shifts_tomorrow():
    return services.remind_tomorrow()


@db_periodic_task(crontab(minute="*/10"))
def expire_redemption_codes():
    return services.expire_redemptions()


@db_periodic_task(crontab(minute="5"))
def escalate_help_requests():
    return services.escalate_unanswered()


@db_periodic_task(crontab(hour="2", minute="41"))
def expire_points():
    return services.expire_all()


@db_periodic_task(crontab(hour="9", minute="17"))
def warn_expiring_points():
    return services.warn_expiring()
