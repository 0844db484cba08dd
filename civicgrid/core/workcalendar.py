"""Working days and hours on the mainland Chinese calendar (holidays and make-up workdays).

Order of authority: the admin-edited CalendarOverride table, then chinese-calendar, then plain weekdays
for years the package does not know (logged as a warning once per year).
"""

import logging
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import chinese_calendar
from django.utils import timezone

from civicgrid.core.models import CalendarOverride

log = logging.getLogger(__name__)

# Office hours (local time): morning and afternoon sessions, 8 working hours a day.
WORK_SESSIONS = ((time(9, 0), time(12, 0)), (time(13, 0), time(18, 0)))


@lru_cache(maxsize=64)
def _warn_unknown_year(year: int) -> None:
    log.warning("the holiday schedule for %s is unknown: add it in the calendar overrides", year)


def _overrides(start: date, end: date) -> dict[date, bool]:
    return dict(CalendarOverride.objects.filter(date__range=(start, end)).values_list("date", "is_workday"))


def _package_says_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        _warn_unknown_year(day.year)
        return day.weekday() < 5


def year_is_known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return CalendarOverride.objects.filter(date__year=year).exists()
    return True


class WorkCalendar:
    """Answers workday questions for a date window, reading the override table once."""

    def __init__(self, start: date, days: int = 400):
        self._overrides = _overrides(start - timedelta(days=1), start + timedelta(days=days))

    def is_workday(self, day: date) -> bool:
        if day in self._overrides:
            return self._overrides[day]
        return _package_says_workday(day)


def is_workday(day: date) -> bool:
    return WorkCalendar(day, days=1).is_workday(day)


def add_working_days(start: datetime, days: int) -> datetime:
    """The same local time of day, `days` working days later (a non-working start counts from the next workday)."""
    local = timezone.localtime(start)
    calendar = WorkCalendar(local.date(), days=days * 3 + 30)
    day, remaining = local.date(), days
    while remaining > 0:
        day += timedelta(days=1)
        if calendar.is_workday(day):
            remaining -= 1
    return local.replace(year=day.year, month=day.month, day=day.day)


def add_working_hours(start: datetime, hours: float) -> datetime:
    """Walk forward through office sessions on working days until `hours` of office time have passed."""
    local = timezone.localtime(start)
    tz = local.tzinfo
    remaining = timedelta(hours=hours)
    calendar = WorkCalendar(local.date(), days=int(hours // 8) * 3 + 30)
    day = local.date()
    cursor = local
    while True:
        if calendar.is_workday(day):
            for begin, end in WORK_SESSIONS:
                session_start = datetime.combine(day, begin, tz)
                session_end = datetime.combine(day, end, tz)
                start_at = max(cursor, session_start)
                if start_at >= session_end:
                    continue
                available = session_end - start_at
                if remaining <= available:
                    return start_at + remaining
                remaining -= available
        day += timedelta(days=1)
        cursor = datetime.combine(day, time(0, 0), tz)
