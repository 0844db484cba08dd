"""Concurrent awards on one budget line, from threads with their own connections (run it on PostgreSQL with
DATABASE_URL; SQLite serializes writers anyway): the line's commitments never exceed its amount."""

from decimal import Decimal

import pytest

from civicgrid.procurement import services
from civicgrid.procurement.models import BudgetLine, Purchase, Stage
from tests.concurrency import in_threads, outcome
from tests.conftest import DISTRICT
from tests.procurement.conftest import make_org, seed_reference, through_review

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
WORKERS = 8


def _award(user_id: int, purchase_id: int, bid_id: int) -> str:
    from civicgrid.accounts.models import User

    return outcome(services.award, actor=User.objects.get(pk=user_id), purchase_id=purchase_id, bid_id=bid_id,
                   reason="方案最优，报价合理")


def test_concurrent_awards_never_exceed_the_budget_line(users):
    item = seed_reference()
    line = services.add_budget_line(actor=users["district"], region_code=DISTRICT, year=2026, department="区民政局",
                                    amount="500000")
    org = make_org("阳光助老服务中心", serial=1)
    expert = users["sub_a"]
    calls = []
    for _ in range(WORKERS):
        purchase, bid = through_review(users, line, item, org, expert, amount="180000")
        calls.append((users["district"].pk, purchase.pk, bid.pk))
    results = in_threads(_award, calls, together=True)
    assert sorted(results) == ["budget_exceeded"] * (WORKERS - 2) + ["ok"] * 2, results
    line = BudgetLine.objects.get(pk=line.pk)
    assert line.committed == Decimal("360000") <= line.amount
    assert Purchase.objects.filter(stage=Stage.AWARDED).count() == 2
