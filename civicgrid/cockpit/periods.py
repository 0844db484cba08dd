"""The periods the cockpit compares: a calendar month, quarter or year, the one before it, and the same period a
year earlier. Dates are Asia/Shanghai; a period is [start, end)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

KINDS = ("month", "quarter", "year")


def _add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date

    @classmethod
    def containing(cls, kind: str, day: date) -> Period:
        if kind not in KINDS:
            kind = "month"
        if kind == "month":
            start = day.replace(day=1)
        elif kind == "quarter":
            start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        else:
            start = date(day.year, 1, 1)
        return cls(kind, start, _add_months(start, {"month": 1, "quarter": 3, "year": 12}[kind]))

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.kind]

    def previous(self) -> Period:
        return Period(self.kind, _add_months(self.start, -self.months), self.start)

    def last_year(self) -> Period:
        return Period(self.kind, _add_months(self.start, -12), _add_months(self.end, -12))

    def following(self) -> Period:
        return Period(self.kind, self.end, _add_months(self.end, self.months))

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("%(year)d-%(month)02d") % {"year": self.start.year, "month": self.start.month}
        if self.kind == "quarter":
            return _("Q%(quarter)d %(year)d") % {"year": self.start.year, "quarter": (self.start.month - 1) // 3 + 1}
        return _("%(year)d") % {"year": self.start.year}

    @property
    def param(self) -> str:
        return self.start.isoformat()


def parse(kind: str | None, at: str | None, today: date) -> Period:
    try:
        day = date.fromisoformat(at) if at else today
    except ValueError:
        day = today
    return Period.containing(kind or "month", day)
