"""Earning, redemption and expiry rules. Defaults here; a deployment overrides any of them with the
setting VOLUNTEERING_POINTS = {"points_per_hour": 10, ...}."""

from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings


@dataclass(frozen=True)
class Policy:
    points_per_hour: int = 10
    daily_cap: int = 80              # points earned per volunteer per service day
    monthly_cap: int = 600           # points earned per volunteer per calendar month
    priority_multiplier: str = "1.5"  # services aimed at empty-nest elders, new residents, disabilities
    expiry_months: int = 24          # points not covered by credits of the last N months expire
    redemption_minutes: int = 60 * 24 * 3  # a one-time code is valid for three days
    help_escalation_hours: int = 24  # unanswered help requests escalate to the community

    def points_for(self, *, minutes: int, priority: bool) -> int:
        raw = Decimal(minutes) * self.points_per_hour / 60
        if priority:
            raw *= Decimal(self.priority_multiplier)
        return int(raw.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def policy() -> Policy:
    overrides = getattr(settings, "VOLUNTEERING_POINTS", {}) or {}
    known = {f.name for f in fields(Policy)}
    return Policy(**{k: v for k, v in overrides.items() if k in known})


def issuer_name() -> str:
    """The issuing body printed on certificates (setting VOLUNTEERING_CERTIFICATE_ISSUER)."""
    from django.utils.translation import gettext

    return getattr(settings, "VOLUNTEERING_CERTIFICATE_ISSUER", "") or gettext("District volunteer service office")


def seal_path() -> str:
    """An image of the issuer's seal (setting VOLUNTEERING_CERTIFICATE_SEAL: a PNG path); none by default."""
    return getattr(settings, "VOLUNTEERING_CERTIFICATE_SEAL", "") or ""
