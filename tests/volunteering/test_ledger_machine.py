"""Hypothesis state machine: under random earn, claim/confirm/cancel, donate, reverse, expire and replays,
every transfer sums to zero, each balance equals its entries, no holder goes negative, stock never does."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from civicgrid.core.errors import DomainError
from civicgrid.volunteering import services
from civicgrid.volunteering.models import Account, Offer, Redemption, Transfer
from civicgrid.volunteering.reconcile import reconcile
from tests.volunteering.conftest import credit, new_volunteer


class LedgerMachine(RuleBasedStateMachine):
    world: dict = {}

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.counter = 0
        self.expected_stock = {o.pk: o.stock for o in self.world["offers"]}

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    def key(self) -> str:
        self.counter += 1
        return f"machine-{self.counter:06d}"

    def _try(self, fn, **kwargs):
        sid = transaction.savepoint()
        try:
            result = fn(**kwargs)
        except DomainError:
            transaction.savepoint_rollback(sid)
            return None
        transaction.savepoint_commit(sid)
        return result

    volunteers = st.integers(0, 2)

    @rule(who=volunteers, amount=st.integers(1, 60))
    def earn(self, who, amount):
        credit(self.world["volunteers"][who], amount, key=self.key())

    @rule(who=volunteers, offer=st.integers(0, 1), replay=st.booleans())
    def claim(self, who, offer, replay):
        key = self.key()
        kwargs = {"actor": self.world["volunteers"][who].user, "offer_id": self.world["offers"][offer].pk, "key": key}
        first = self._try(services.claim, **kwargs)
        if replay and first is not None:
            assert services.claim(**kwargs).pk == first.pk

    @rule(data=st.data(), confirm=st.booleans())
    def settle_a_claim(self, data, confirm):
        pending = list(Redemption.objects.filter(status=Redemption.Status.PENDING).order_by("pk"))
        if not pending:
            return
        redemption = data.draw(st.sampled_from(pending))
        if confirm:
            services.confirm_redemption(actor=self.world["shop_user"], code=redemption.code)
        else:
            services.cancel_redemption(actor=redemption.account.volunteer.user, redemption_id=redemption.pk)

    @rule(who=volunteers, amount=st.integers(1, 80))
    def donate(self, who, amount):
        self._try(services.donate, actor=self.world["volunteers"][who].user, key=self.key(), amount=amount,
                  resident_id=self.world["elder"].pk)

    @rule(data=st.data())
    def reverse(self, data):
        transfers = list(Transfer.objects.filter(kind__in=["earn", "donate"]).values_list("pk", flat=True))
        if transfers:
            self._try(services.reverse_transfer, actor=self.world["staff"], transfer_id=data.draw(
                st.sampled_from(transfers)), key=self.key(), reason="machine")

    @rule(who=volunteers, years=st.integers(1, 4))
    def expire(self, who, years):
        account = Account.objects.get(volunteer=self.world["volunteers"][who])
        services.expire_account(account_id=account.pk, now=timezone.now() + timedelta(days=365 * years))

    @rule(days=st.integers(4, 10))
    def expire_codes(self, days):
        services.expire_redemptions(now=timezone.now() + timedelta(days=days))

    @invariant()
    def books_balance(self):
        report = reconcile()
        assert report.ok, report.problems

    @invariant()
    def stock_matches_claims(self):
        for offer in Offer.objects.all():
            live = Redemption.objects.filter(offer=offer, status__in=["pending", "confirmed"]).count()
            assert offer.stock >= 0
            assert offer.stock == self.expected_stock[offer.pk] - live


@pytest.mark.django_db
def test_ledger_invariants_hold(users, offer, shop_user, register_elder):
    today = timezone.localdate()
    scarce = services.create_offer(actor=shop_user, title="理发一次", points=45, stock=1, kind="service",
                                   valid_from=today, valid_until=today + timedelta(days=9))
    LedgerMachine.world = {
        "volunteers": [new_volunteer() for _ in range(3)], "offers": [offer, scarce], "shop_user": shop_user,
        "elder": register_elder, "staff": users["community_a"],
    }
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(LedgerMachine, settings=settings(
        max_examples=25, stateful_step_count=20, deadline=None, suppress_health_check=list(HealthCheck)))
