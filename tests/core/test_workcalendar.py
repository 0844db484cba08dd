from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from civicgrid.core.models import CalendarOverride
from civicgrid.core.workcalendar import add_working_days, add_working_hours, is_workday, year_is_known

BJ = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def test_statutory_holiday_and_make_up_workday():
    assert not is_workday(date(2025, 10, 1))  # National Day
    assert is_workday(date(2025, 9, 28))  # Sunday make-up workday before National Day 2025


def test_add_working_days_skips_the_national_day_week():
    start = datetime(2025, 9, 30, 10, 0, tzinfo=BJ)
    assert add_working_days(start, 1) == datetime(2025, 10, 9, 10, 0, tzinfo=BJ)


def test_add_working_hours_crosses_lunch_and_nights():
    start = datetime(2025, 11, 3, 11, 0, tzinfo=BJ)  # Monday
    assert add_working_hours(start, 2) == datetime(2025, 11, 3, 14, 0, tzinfo=BJ)
    assert add_working_hours(start, 8) == datetime(2025, 11, 4, 11, 0, tzinfo=BJ)
    friday = datetime(2025, 11, 7, 17, 0, tzinfo=BJ)
    assert add_working_hours(friday, 2) == datetime(2025, 11, 10, 10, 0, tzinfo=BJ)


def test_unknown_year_falls_back_to_weekdays_and_overrides():
    assert is_workday(date(2027, 1, 4))  # a Monday, the package does not know 2027
    assert not is_workday(date(2027, 1, 2))  # Saturday
    assert not year_is_known(2027)
    CalendarOverride.objects.create(date=date(2027, 1, 4), is_workday=False, note="元旦")
    assert not is_workday(date(2027, 1, 4))
    assert year_is_known(2027)


def test_override_beats_the_package():
    CalendarOverride.objects.create(date=date(2025, 10, 1), is_workday=True, note="test")
    assert is_workday(date(2025, 10, 1))
