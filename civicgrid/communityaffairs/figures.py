"""The computations of community standardization, for a list of community codes (the caller scopes them):
staffing against the charters' quotas, rooms against the space standard, training hours against the requirement,
workers per household and the one-stop window's in-time rate."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from civicgrid.communityaffairs import standards
from civicgrid.communityaffairs.models import (
    Attendance,
    Body,
    Charter,
    CharterPost,
    CommunityProfile,
    Handling,
    Room,
)
from civicgrid.people.models import StaffMember
from civicgrid.territory.models import Region

BODIES = [body.value for body in Body]
FINISHED = (Handling.Result.DONE, Handling.Result.REFUSED, Handling.Result.CASE)


@dataclass
class BodyStaffing:
    body: str
    quota: int | None  # None: no charter for this body
    actual: int

    @property
    def vacancies(self) -> int:
        return max(0, self.quota - self.actual) if self.quota is not None else 0

    @property
    def over(self) -> int:
        return max(0, self.actual - self.quota) if self.quota is not None else 0


@dataclass
class Staffing:
    code: str
    bodies: list[BodyStaffing] = field(default_factory=list)

    @property
    def quota(self) -> int:
        return sum(b.quota or 0 for b in self.bodies)

    @property
    def actual(self) -> int:
        return sum(b.actual for b in self.bodies)

    @property
    def vacancies(self) -> int:
        return sum(b.vacancies for b in self.bodies)

    @property
    def over(self) -> int:
        return sum(b.over for b in self.bodies)


def staffing(codes: list[str]) -> dict[str, Staffing]:
    """Per community and body: the charter's quota (sum of its posts) against the staff roster."""
    quotas: dict[tuple[str, str], int] = defaultdict(int)
    for row in (CharterPost.objects.filter(charter__region_code__in=codes)
                .values("charter__region_code", "charter__body").annotate(total=Sum("quota"))):
        quotas[(row["charter__region_code"], row["charter__body"])] = row["total"] or 0
    chartered = set(Charter.objects.filter(region_code__in=codes).values_list("region_code", "body"))
    actual: dict[tuple[str, str], int] = defaultdict(int)
    for code, body in StaffMember.objects.filter(region_code__in=codes, body__in=BODIES).values_list("region_code",
                                                                                                     "body"):
        actual[(code, body)] += 1
    return {code: Staffing(code, [BodyStaffing(body, quotas[(code, body)] if (code, body) in chartered else None,
                                               actual[(code, body)]) for body in BODIES]) for code in codes}


@dataclass
class Space:
    code: str
    households: int
    is_new: bool
    area: float
    required: float

    @property
    def gap(self) -> float:
        return round(max(0.0, self.required - self.area), 1)

    @property
    def per_100_households(self) -> float | None:
        return round(self.area / self.households * 100, 1) if self.households else None


def required_area(households: int, *, is_new: bool, rules: dict[str, standards.Rule] | None = None) -> float:
    """The larger of the per-household standard and the community minimum (existing or new)."""
    rules = rules or standards.current()
    per_100 = float(rules[standards.Key.SPACE_PER_100_HOUSEHOLDS].value)
    minimum = float(rules[standards.Key.SPACE_MIN_NEW if is_new else standards.Key.SPACE_MIN_EXISTING].value)
    return round(max(per_100 * households / 100, minimum), 1)


def spaces(codes: list[str]) -> dict[str, Space]:
    rules = standards.current()
    households = dict(Region.objects.filter(code__in=codes).values_list("code", "households"))
    new = set(CommunityProfile.objects.filter(region_code__in=codes, is_new=True).values_list("region_code",
                                                                                              flat=True))
    areas = dict(Room.objects.filter(region_code__in=codes).values("region_code")
                 .annotate(total=Sum("area_m2")).values_list("region_code", "total"))
    return {code: Space(code, households.get(code, 0), code in new, float(areas.get(code) or 0),
                        required_area(households.get(code, 0), is_new=code in new, rules=rules)) for code in codes}


@dataclass
class Training:
    code: str
    requirement: float
    hours: dict[int, float]  # staff id -> hours in the year

    @property
    def workers(self) -> int:
        return len(self.hours)

    @property
    def average(self) -> float | None:
        return round(sum(self.hours.values()) / len(self.hours), 1) if self.hours else None

    @property
    def short(self) -> int:
        """Workers below the year's requirement."""
        return sum(1 for h in self.hours.values() if h < self.requirement)


def training(codes: list[str], year: int) -> dict[str, Training]:
    """Each community worker's training hours in the year (courses held that year), against the requirement."""
    requirement = standards.value(standards.Key.TRAINING_HOURS)
    result = {code: Training(code, requirement, {}) for code in codes}
    for staff_id, code in StaffMember.objects.filter(region_code__in=codes, body__in=BODIES).values_list("pk",
                                                                                                        "region_code"):
        result[code].hours[staff_id] = 0.0
    for row in (Attendance.objects.filter(staff__region_code__in=codes, staff__body__in=BODIES,
                                          course__held_on__year=year)
                .values("staff_id", "staff__region_code").annotate(total=Sum("course__hours"))):
        result[row["staff__region_code"]].hours[row["staff_id"]] = float(row["total"])
    return result


def households_per_worker(codes: list[str]) -> dict[str, float | None]:
    """Households of the community per worker of its three bodies (None without workers)."""
    households = dict(Region.objects.filter(code__in=codes).values_list("code", "households"))
    workers: dict[str, int] = defaultdict(int)
    for code in StaffMember.objects.filter(region_code__in=codes, body__in=BODIES).values_list("region_code",
                                                                                               flat=True):
        workers[code] += 1
    return {code: round(households.get(code, 0) / workers[code], 1) if workers[code] else None for code in codes}


def in_time(handlings) -> tuple[int, int]:
    """(finished in time, finished) among the given handling records."""
    finished = handlings.filter(result__in=FINISHED)
    return finished.filter(in_time=True).count(), finished.count()


def share(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year + 1, 1, 1)


EXPIRING_WITHIN_DAYS = 90  # a renewal takes months to arrange: flag certificates this close to expiry


class CertificateState:
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"


CERTIFICATE_STATES = [(CertificateState.VALID, _("Valid")), (CertificateState.EXPIRING, _("Expiring soon")),
                      (CertificateState.EXPIRED, _("Expired"))]


def certificate_state(expires_on: date | None, today: date) -> str:
    """Valid through its expiry date, expired the day after; expiring within EXPIRING_WITHIN_DAYS; a certificate
    without an expiry date stays valid."""
    if expires_on is None or (expires_on - today).days > EXPIRING_WITHIN_DAYS:
        return CertificateState.VALID
    return CertificateState.EXPIRED if expires_on < today else CertificateState.EXPIRING
