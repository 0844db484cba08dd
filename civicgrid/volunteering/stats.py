"""Statistics for the desks and the cockpit: hours by community, team and month; active volunteers;
share of vulnerable residents visited; points issued, redeemed and outstanding. All scoped by actor."""

from datetime import timedelta

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.core.registry import Figure
from civicgrid.core.scoping import area_of
from civicgrid.people.selectors import residents_for
from civicgrid.volunteering.hours import hours_value
from civicgrid.volunteering.models import Account, HelpRequest, Redemption, ServiceRecord, Transfer
from civicgrid.volunteering.selectors import records_for

VULNERABLE_GROUPS = ("empty_nest", "elderly_alone", "disability")


def _confirmed(actor):
    return records_for(actor=actor, status=ServiceRecord.Status.CONFIRMED)


def hours_by_community(*, actor) -> list[dict]:
    rows = _confirmed(actor).values("region_code").annotate(minutes=Sum("minutes"), n=Count("id"))
    return [{"key": r["region_code"], "hours": hours_value(r["minutes"]), "minutes": r["minutes"], "records": r["n"]}
            for r in rows.order_by("region_code")]


def hours_by_team(*, actor) -> list[dict]:
    rows = _confirmed(actor).values("team__name").annotate(minutes=Sum("minutes"), n=Count("id"))
    return [{"key": r["team__name"], "hours": hours_value(r["minutes"]), "minutes": r["minutes"], "records": r["n"]}
            for r in rows.order_by("-minutes")]


def hours_by_month(*, actor, months: int = 12) -> list[dict]:
    since = timezone.localdate().replace(day=1) - timedelta(days=31 * (months - 1))
    rows = (_confirmed(actor).filter(service_date__gte=since.replace(day=1)).annotate(month=TruncMonth("service_date"))
            .values("month").annotate(minutes=Sum("minutes"), n=Count("id")).order_by("month"))
    return [{"key": f"{r['month']:%Y-%m}", "hours": hours_value(r["minutes"]), "minutes": r["minutes"],
             "records": r["n"]} for r in rows]


def hours_this_month(*, actor) -> float:
    """Confirmed service hours in the actor's area since the first of this month."""
    first = timezone.localdate().replace(day=1)
    minutes = _confirmed(actor).filter(service_date__gte=first).aggregate(t=Sum("minutes"))["t"] or 0
    return round(minutes / 60, 1)


def home_figures(user) -> list[Figure]:
    """The volunteering card of the home dashboard (area managers only)."""
    if not getattr(user, "manages_area", False):
        return []
    desk = reverse("volunteering:community_desk")
    hours = _("%(hours)s h") % {"hours": f"{hours_this_month(actor=user):,.1f}"}
    return [Figure(_("volunteer hours this month"), hours, desk, testid="figure-volunteer-hours"),
            Figure(_("active volunteers (90 days)"), f"{active_volunteers(actor=user):,}", desk,
                   testid="figure-volunteers")]


def active_volunteers(*, actor, days: int = 90) -> int:
    since = timezone.localdate() - timedelta(days=days)
    return _confirmed(actor).filter(service_date__gte=since).values("volunteer_id").distinct().count()


def vulnerable_visited(*, actor, days: int) -> dict:
    """Residents of the vulnerable groups in scope, and how many had help completed in the last `days`."""
    if area_of(actor) is None:
        return {"days": days, "total": 0, "visited": 0, "share": 0.0}
    vulnerable = residents_for(actor=actor).filter(groups__group__in=VULNERABLE_GROUPS).values("pk").distinct()
    since = timezone.now() - timedelta(days=days)
    visited = (HelpRequest.objects.filter(resident__in=vulnerable, status=HelpRequest.Status.COMPLETED,
                                          completed_at__gte=since).values("resident_id").distinct().count())
    total = vulnerable.count()
    return {"days": days, "total": total, "visited": visited, "share": round(visited / total, 4) if total else 0.0}


def points(*, actor) -> dict:
    if area_of(actor) is None:
        return {"issued": 0, "redeemed": 0, "outstanding": 0}
    accounts = Account.objects.visible_to(actor)
    earned = Transfer.objects.filter(kind=Transfer.Kind.EARN, target__in=accounts, reversed_by__isnull=True)
    redeemed = Redemption.objects.filter(account__in=accounts, status=Redemption.Status.CONFIRMED)
    return {"issued": earned.aggregate(t=Sum("amount"))["t"] or 0,
            "redeemed": redeemed.aggregate(t=Sum("points"))["t"] or 0,
            "outstanding": accounts.aggregate(t=Sum("balance"))["t"] or 0}


def summary(*, actor) -> dict:
    return {"active_90": active_volunteers(actor=actor), "visited_30": vulnerable_visited(actor=actor, days=30),
            "visited_90": vulnerable_visited(actor=actor, days=90), "points": points(actor=actor),
            "by_community": hours_by_community(actor=actor), "by_team": hours_by_team(actor=actor),
            "by_month": hours_by_month(actor=actor)}

