"""Concurrent claims against one account and one offer, from threads and from separate processes on the
file-backed test database: no overdraft, no oversold stock, one redemption per idempotency key."""

import multiprocessing

import pytest
from django.db import connections

from civicgrid.volunteering import ledger, services
from civicgrid.volunteering.models import Account, Offer, Redemption
from civicgrid.volunteering.reconcile import reconcile
from tests.concurrency import in_threads, outcome
from tests.volunteering.conftest import balance, credit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
WORKERS = 12


def _claim(user_id: int, offer_id: int, key: str) -> str:
    from civicgrid.accounts.models import User

    return outcome(services.claim, actor=User.objects.get(pk=user_id), offer_id=offer_id, key=key)


def _in_threads(calls) -> list[str]:
    return in_threads(_claim, calls)


def _forget_inherited_connections() -> None:
    """A forked child must never talk over the parent's database sockets: drop the handles without closing them
    (closing would send the server a goodbye on the parent's session) so each child opens its own."""
    for conn in connections.all():
        conn.connection = None
        conn.in_atomic_block = False


def _in_processes(calls) -> list[str]:
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(min(len(calls), 6), initializer=_forget_inherited_connections) as pool:
        return pool.starmap(_claim, calls)


RUNNERS = {"threads": _in_threads, "processes": _in_processes}


@pytest.mark.parametrize("runner", RUNNERS)
def test_concurrent_claims_neither_overdraw_nor_oversell(runner, volunteer, offer):
    credit(volunteer, 100)  # enough for 3 at 30 points; stock is 3 too
    Offer.objects.filter(pk=offer.pk).update(stock=5)
    results = RUNNERS[runner]([(volunteer.user_id, offer.pk, f"race-key-{i:03d}") for i in range(WORKERS)])
    assert results.count("ok") == 3, results
    assert set(results) <= {"ok", "insufficient_points"}
    assert balance(volunteer) == 10 and Offer.objects.get(pk=offer.pk).stock == 2
    assert reconcile().ok


@pytest.mark.parametrize("runner", RUNNERS)
def test_concurrent_claims_stop_at_zero_stock(runner, volunteer, offer):
    credit(volunteer, 1000)
    results = RUNNERS[runner]([(volunteer.user_id, offer.pk, f"stock-key-{i:03d}") for i in range(WORKERS)])
    assert results.count("ok") == 3 and results.count("out_of_stock") == WORKERS - 3, results
    assert Offer.objects.get(pk=offer.pk).stock == 0 and balance(volunteer) == 1000 - 90
    assert reconcile().ok


@pytest.mark.parametrize("runner", RUNNERS)
def test_one_key_sent_concurrently_makes_one_redemption(runner, volunteer, offer):
    credit(volunteer, 1000)
    results = RUNNERS[runner]([(volunteer.user_id, offer.pk, "the-same-key")] * 8)
    assert results == ["ok"] * 8
    assert Redemption.objects.count() == 1 and balance(volunteer) == 970
    assert ledger.balance(Account.objects.get(kind="hold")) == 30


def _confirm(user_id: int, record_id: int) -> str:
    from civicgrid.accounts.models import User

    return outcome(services.confirm_record, actor=User.objects.get(pk=user_id), record_id=record_id)


@pytest.mark.parametrize("runner", ["threads", "processes"])
def test_concurrent_confirmations_of_one_day_stay_within_the_daily_cap(runner, users, team, volunteer):
    """The records are locked one by one (not their team): the volunteer's account still serializes the caps."""
    from datetime import timedelta

    from django.utils import timezone

    services.join_team(actor=volunteer.user, team_id=team.pk)
    start = timezone.now().replace(hour=1, minute=0) - timedelta(days=1)
    records = [services.create_record(actor=users["community_a"], team_id=team.pk, volunteer_id=volunteer.pk,
                                      started_at=start, ended_at=start + timedelta(hours=2), content=f"清扫 {i}")
               for i in range(8)]  # 8 × 20 points, 80 a day at most
    calls = [(users["community_a"].pk, record.pk) for record in records]
    if runner == "threads":
        results = in_threads(_confirm, calls, together=True)
    else:
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(4, initializer=_forget_inherited_connections) as pool:
            results = pool.starmap(_confirm, calls)
    assert results == ["ok"] * 8
    assert balance(volunteer) == 80
    assert reconcile().ok
