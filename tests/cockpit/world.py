"""A seeded random world of cases for the cockpit's tests: every state, channel and category, reported over the
last 15 months in every grid of a small region tree, with consistent timestamps (RATES.md). Bulk-made (the
rollup reads the table, not the workflow)."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from civicgrid.cases.models import Case, Category, Channel, HandlingUnit
from civicgrid.territory.models import Level, Region

STATES = ["closed"] * 10 + ["handling", "dispatched", "replied", "registered", "reported", "rejected", "void",
                            "parked", "verified"]


def more_regions(regions: dict) -> list[Region]:
    """A second community and grid under subdistrict A, and a second grid in community A: siblings to compare."""
    sub_a, comm_a = regions["sub_a"], regions["community_a"]
    extra_comm = Region.objects.create(code=sub_a.code + "004", name="社区a2", level=Level.COMMUNITY, parent=sub_a)
    made = [Region.objects.create(code=extra_comm.code + "001", name="网格a2-1", level=Level.GRID,
                                  parent=extra_comm),
            Region.objects.create(code=comm_a.code + "002", name="网格a-2", level=Level.GRID, parent=comm_a)]
    return [extra_comm, *made]


def _moment(rng: random.Random, now: datetime, days: int) -> datetime:
    return now - timedelta(seconds=rng.uniform(600, days * 86400))


def make_cases(count: int, seed: int, *, days: int = 460) -> list[Case]:
    rng = random.Random(seed)
    grids = list(Region.objects.filter(level=Level.GRID).values_list("code", "center_lon", "center_lat"))
    categories = list(Category.objects.filter(parent__isnull=False).values_list("pk", "parent_id"))
    units = list(HandlingUnit.objects.values_list("pk", flat=True))
    now = timezone.now()
    made = []
    for _ in range(count):
        grid = rng.choice(grids)[0]
        category, top = rng.choice(categories)
        state = rng.choice(STATES)
        reported = _moment(rng, now, days)
        handled = state not in ("reported", "registered", "rejected", "void")
        dispatched = reported + timedelta(hours=rng.uniform(0.5, 6)) if handled else None
        responded = dispatched + timedelta(hours=rng.uniform(0.1, 4)) if dispatched and rng.random() < 0.9 else None
        deadline = dispatched + timedelta(days=rng.choice((1, 3, 5))) if dispatched else None
        closed = dispatched + timedelta(hours=rng.uniform(4, 200)) if state == "closed" and dispatched else None
        callback = closed if closed and rng.random() < 0.4 else None
        rated = closed if closed and not callback and rng.random() < 0.5 else None
        made.append(Case(
            state=state, channel=rng.choice(Channel.values), category_id=category, category_top_id=top,
            description="随机案件", lon=116.15, lat=39.9, region_code=grid,
            unit_id=rng.choice(units) if dispatched or state == "parked" else None,
            park_reason="等待资金" if state == "parked" else "",
            reported_at=reported, reported_on=timezone.localtime(reported).date(), first_dispatched_at=dispatched,
            dispatched_at=dispatched, response_due=dispatched + timedelta(hours=2) if dispatched else None,
            responded_at=responded, deadline=deadline, closed_at=closed,
            overdue=bool(deadline and state in ("handling", "dispatched") and rng.random() < 0.5),
            rework_count=int(closed is not None and rng.random() < 0.1),
            callback_at=callback, callback_resolved=(rng.random() < 0.8) if callback else None,
            callback_satisfaction=rng.choice(["satisfied", "basic", "unsatisfied"]) if callback else "",
            rated_at=rated, resolved=(rng.random() < 0.7) if rated else None,
            satisfaction=rng.choice(["satisfied", "basic", "unsatisfied"]) if rated else "",
            explained_at=callback if callback and rng.random() < 0.05 else None))
    made = Case.objects.bulk_create(made, batch_size=500)
    # Loaded an hour ago: a later change is what the rollup must notice, not the load itself.
    Case.objects.filter(pk__in=[c.pk for c in made]).update(updated_at=now - timedelta(hours=1))
    return made


def day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
