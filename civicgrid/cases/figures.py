"""The cases card of the home dashboard: today's new, overdue and closed cases and this month's three rates
(RATES.md), for the area the signed-in manager sees."""

from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.cases import selectors, stats
from civicgrid.cases.models import OPEN_STATES, State
from civicgrid.core.registry import Figure


def percent(share: float | None) -> str:
    """A rate as an office writes it: 79.7%."""
    return "—" if share is None else f"{share * 100:.1f}%"


def home_figures(user) -> list[Figure]:
    if not getattr(user, "manages_area", False):
        return []
    today = timezone.localdate()
    since = timezone.make_aware(datetime.combine(today, time.min))
    cases = selectors.visible_cases(user)
    overdue = cases.filter(state__in=OPEN_STATES, overdue=True).count()
    rates = stats.report(actor=user, start=today.replace(day=1), end=today).total.rates
    desk, statistics = reverse("cases:desk"), reverse("cases:statistics")
    return [
        Figure(_("new today"), str(cases.filter(reported_on=today).count()), desk, testid="figure-new"),
        Figure(_("overdue"), str(overdue), f"{desk}?overdue=1", "warn" if overdue else "", "figure-overdue"),
        Figure(_("closed today"), str(cases.filter(state=State.CLOSED, closed_at__gte=since).count()), statistics,
               testid="figure-closed"),
        Figure(_("response rate this month"), percent(rates["response"]), statistics, testid="figure-response"),
        Figure(_("resolution rate this month"), percent(rates["resolution"]), statistics,
               testid="figure-resolution"),
        Figure(_("satisfaction rate this month"), percent(rates["satisfaction"]), statistics,
               testid="figure-satisfaction"),
    ]
