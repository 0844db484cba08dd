"""The double-entry ledger: transfers, idempotency, reversal, expiry, caps, donations and reconcile."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from civicgrid.volunteering import ledger, services
from civicgrid.volunteering.errors import InsufficientPoints, KeyReused, NotEligible
from civicgrid.volunteering.models import Account, Entry, ImmutableError, Transfer
from civicgrid.volunteering.reconcile import reconcile
from tests.volunteering.conftest import balance, credit, new_volunteer

pytestmark = pytest.mark.django_db


def test_a_transfer_is_two_entries_summing_to_zero(volunteer):
    transfer = credit(volunteer, 40)
    amounts = sorted(transfer.entries.values_list("amount", flat=True))
    assert amounts == [-40, 40]
    assert balance(volunteer) == 40 == ledger.balance_of(Account.objects.get(volunteer=volunteer))
    assert reconcile().ok


def test_replaying_a_key_returns_the_same_transfer(volunteer):
    first = credit(volunteer, 10, key="same-key-1")
    again = credit(volunteer, 10, key="same-key-1")
    assert first.pk == again.pk and balance(volunteer) == 10
    with pytest.raises(KeyReused):
        credit(volunteer, 11, key="same-key-1")


def test_entries_are_immutable(volunteer):
    entry = credit(volunteer, 5).entries.first()
    entry.amount = 500
    with pytest.raises(ImmutableError):
        entry.save()
    with pytest.raises(ImmutableError):
        entry.delete()


def test_reversal_restores_and_cannot_repeat(users, volunteer):
    transfer = credit(volunteer, 25)
    reversal = services.reverse_transfer(actor=users["community_a"], transfer_id=transfer.pk, key="fix-000001",
                                         reason="wrong volunteer")
    assert reversal.reverses_id == transfer.pk and balance(volunteer) == 0
    assert services.reverse_transfer(actor=users["community_a"], transfer_id=transfer.pk, key="fix-000001",
                                     reason="again").pk == reversal.pk
    with pytest.raises(Exception) as error:
        services.reverse_transfer(actor=users["community_a"], transfer_id=transfer.pk, key="fix-000002", reason="x")
    assert error.value.code == "not_reversible"
    assert reconcile().ok


def test_reversal_refused_when_points_were_spent(users, volunteer):
    transfer = credit(volunteer, 25)
    other = new_volunteer()
    other.resident = None
    with transaction.atomic():
        ledger.post(key="spend-1", kind=Transfer.Kind.DONATE, source=Account.objects.get(volunteer=volunteer),
                    target=Account.objects.get(volunteer=other), amount=20)
    with pytest.raises(InsufficientPoints):
        services.reverse_transfer(actor=users["community_a"], transfer_id=transfer.pk, key="fix-000003", reason="x")
    assert balance(volunteer) == 5


def test_other_community_cannot_reverse(users, volunteer):
    transfer = credit(volunteer, 5)
    with pytest.raises(Exception) as error:
        services.reverse_transfer(actor=users["community_b"], transfer_id=transfer.pk, key="fix-000004", reason="x")
    assert error.value.status == 404


def test_overdraw_is_refused_without_a_trace(volunteer):
    other = new_volunteer()
    credit(volunteer, 5)
    with pytest.raises(InsufficientPoints), transaction.atomic():
        ledger.post(key="overdraw", kind=Transfer.Kind.DONATE, source=Account.objects.get(volunteer=volunteer),
                    target=Account.objects.get(volunteer=other), amount=6)
    assert not Transfer.objects.filter(key="overdraw").exists() and balance(volunteer) == 5


def test_expiry_takes_only_points_older_than_the_window(volunteer):
    old = credit(volunteer, 30)
    Transfer.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=800))
    credit(volunteer, 20)
    account = Account.objects.get(volunteer=volunteer)
    expired = services.expire_account(account_id=account.pk)
    assert expired.amount == 30 and balance(volunteer) == 20
    assert services.expire_account(account_id=account.pk).pk == expired.pk  # once a day
    assert services.expire_all() == 1  # the same day's transfer again, nothing new
    assert ledger.balance(Account.objects.get(kind=Account.Kind.EXPIRY)) == 30
    assert reconcile().ok


def test_donation_to_an_elder_and_refusal_for_a_stranger(users, volunteer, register_elder):
    credit(volunteer, 50)
    transfer = services.donate(actor=volunteer.user, key="gift-000001", amount=20, resident_id=register_elder.pk)
    assert balance(volunteer) == 30 and Account.objects.get(resident=register_elder).balance == 20
    assert services.donate(actor=volunteer.user, key="gift-000001", amount=20,
                           resident_id=register_elder.pk).pk == transfer.pk
    stranger = new_volunteer()
    with pytest.raises(NotEligible):
        services.donate(actor=volunteer.user, key="gift-000002", amount=5, volunteer_id=stranger.pk)


def test_reconcile_command_reports_a_tampered_cache(volunteer, capsys):
    credit(volunteer, 12)
    call_command("ledger", "reconcile")
    assert "reconciles" in capsys.readouterr().out
    Account.objects.filter(volunteer=volunteer).update(balance=99)
    with pytest.raises(CommandError):
        call_command("ledger", "reconcile")
    assert "cached balance 99 != entries 12" in capsys.readouterr().err


def test_reconcile_finds_an_unbalanced_transfer(volunteer):
    transfer = credit(volunteer, 12)
    with connection.cursor() as cursor:  # bypass the model's guard, as a faulty script would
        cursor.execute(f"UPDATE {Entry._meta.db_table} SET amount = 13 WHERE transfer_id = %s AND amount = 12",
                       [transfer.pk])
    problems = reconcile().problems
    assert any("summing to 1" in p for p in problems)
    assert any("does not match" in p for p in problems)


def test_system_accounts_are_derived_and_a_cached_one_is_reported(volunteer):
    credit(volunteer, 7)
    issuance = Account.objects.get(kind=Account.Kind.ISSUANCE)
    assert issuance.balance == 0 and ledger.balance(issuance) == -7
    Account.objects.filter(pk=issuance.pk).update(balance=-7)
    assert any("has a cached balance" in p for p in reconcile().problems)


def test_only_earnings_and_donations_can_be_reversed(users, volunteer, offer):
    credit(volunteer, 40)
    services.claim(actor=volunteer.user, offer_id=offer.pk, key="claim-rev-01")
    hold = Transfer.objects.get(kind=Transfer.Kind.HOLD)
    with pytest.raises(Exception) as error:
        services.reverse_transfer(actor=users["community_a"], transfer_id=hold.pk, key="fix-hold-01", reason="x")
    assert error.value.code == "not_reversible" and reconcile().ok


@pytest.mark.parametrize("to_system", [True, False])
def test_a_refused_post_leaves_nothing_behind_even_without_a_savepoint(volunteer, to_system):
    """post() uses no savepoint: a refused debit must remove what it wrote, so the caller's transaction can go on."""
    credit(volunteer, 5)
    source = Account.objects.get(volunteer=volunteer)
    target = ledger.system_account(Account.Kind.HOLD) if to_system else Account.objects.get(volunteer=new_volunteer())
    with transaction.atomic():
        with pytest.raises(InsufficientPoints):
            ledger.post(key="refused-1", kind=Transfer.Kind.HOLD if to_system else Transfer.Kind.DONATE,
                        source=source, target=target, amount=6)
        assert not Transfer.objects.filter(key="refused-1").exists()
        assert not Entry.objects.filter(transfer__key="refused-1").exists()
        ledger.post(key="accepted-1", kind=Transfer.Kind.DONATE, source=source,
                    target=Account.objects.get(volunteer=new_volunteer()), amount=5)
    assert balance(volunteer) == 0 and ledger.balance(target) == 0
    assert reconcile().ok


@pytest.mark.django_db(transaction=True)
def test_system_account_ids_are_remembered_only_once_committed(django_assert_num_queries):
    system_account = ledger.system_account

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        made = system_account(Account.Kind.SETTLEMENT)
        raise Rollback
    assert not Account.objects.filter(pk=made.pk).exists()
    with transaction.atomic():
        account = system_account(Account.Kind.SETTLEMENT)
    assert Account.objects.filter(pk=account.pk, kind=Account.Kind.SETTLEMENT).exists()
    with django_assert_num_queries(0):
        assert system_account(Account.Kind.SETTLEMENT).pk == account.pk
