"""The double-entry points ledger. Every movement is one Transfer with two immutable Entries summing to zero.

`post` must run inside the caller's transaction. Holder balances (volunteer, resident, shop) are cached on
the account row and move with conditional `F()` updates (never read-then-write), in primary-key order so two
transfers between the same accounts cannot deadlock. System accounts (issuance, hold, expiry, settlement)
take part in most transfers: caching their balance would make every writer queue on one row, so theirs is
only ever derived from entries (the column stays 0; `reconcile` checks both kinds).
A replayed idempotency key returns the first transfer; a key reused for something else is refused.
"""

from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from civicgrid.volunteering.errors import InsufficientPoints, KeyReused
from civicgrid.volunteering.models import Account, Entry, Transfer

T = TypeVar("T")
SYSTEM_KINDS = (Account.Kind.ISSUANCE, Account.Kind.EXPIRY, Account.Kind.HOLD, Account.Kind.SETTLEMENT)


def once(lookup: Callable[[], T | None], action: Callable[[], T]) -> T:
    """Idempotent write: return what `lookup` finds, else run `action` in a savepoint; if a concurrent
    writer with the same unique key won the race, return its result."""
    found = lookup()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return action()
    except IntegrityError:
        found = lookup()
        if found is None:
            raise
        return found


def system_account(kind: str) -> Account:
    account = Account.objects.filter(kind=kind).first()
    if account is None:
        account = once(lambda: Account.objects.filter(kind=kind).first(), lambda: Account.objects.create(kind=kind))
    return account


def _move(*, source: Account, target: Account, amount: int) -> None:
    moves = ((account, delta) for account, delta in ((source, -amount), (target, amount))
             if account.kind not in SYSTEM_KINDS)
    for account, delta in sorted(moves, key=lambda move: move[0].pk):
        rows = Account.objects.filter(pk=account.pk)
        if delta < 0:
            rows = rows.filter(balance__gte=-delta)
        if rows.update(balance=F("balance") + delta) != 1:
            raise InsufficientPoints()


def _same(transfer: Transfer, *, kind: str, source: Account, target: Account, amount: int) -> Transfer:
    if (transfer.kind, transfer.source_id, transfer.target_id, transfer.amount) != (kind, source.pk, target.pk, amount):
        raise KeyReused()
    return transfer


def post(*, key: str, kind: str, source: Account, target: Account, amount: int, actor=None,
         reverses: Transfer | None = None, service_date: date | None = None, memo: str = "") -> Transfer:
    """Move `amount` points from `source` to `target` once per `key`."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger.post must run inside a transaction")

    def lookup():
        found = Transfer.objects.filter(key=key).first()
        return found and _same(found, kind=kind, source=source, target=target, amount=amount)

    def action():
        transfer = Transfer.objects.create(key=key, kind=kind, source=source, target=target, amount=amount,
                                           reverses=reverses, service_date=service_date, memo=memo[:200],
                                           actor=actor if getattr(actor, "is_authenticated", False) else None)
        _move(source=source, target=target, amount=amount)
        Entry.objects.bulk_create([Entry(transfer=transfer, account=source, amount=-amount),
                                   Entry(transfer=transfer, account=target, amount=amount)])
        return transfer

    try:
        with transaction.atomic():
            return action()
    except IntegrityError:
        found = lookup()
        if found is None:
            raise
        return found


def reverse(*, key: str, transfer: Transfer, actor=None, memo: str = "") -> Transfer:
    """A correction: the opposite transfer, linked to the original (which can be reversed only once)."""
    source = Account.objects.get(pk=transfer.target_id)
    target = Account.objects.get(pk=transfer.source_id)
    return post(key=key, kind=Transfer.Kind.REVERSAL, source=source, target=target, amount=transfer.amount,
                actor=actor, reverses=transfer, service_date=transfer.service_date, memo=memo or transfer.memo)


def balance_of(account: Account) -> int:
    """The balance derived from entries (the cached column is only a cache)."""
    return Entry.objects.filter(account=account).aggregate(total=Sum("amount"))["total"] or 0


def balance(account: Account) -> int:
    """Holder accounts: the cached column; system accounts: derived from entries."""
    if account.kind in SYSTEM_KINDS:
        return balance_of(account)
    return Account.objects.values_list("balance", flat=True).get(pk=account.pk)


def earned_between(account: Account, first: date, last: date) -> int:
    """Points earned for service days in [first, last], net of reversed earnings."""
    earned = Transfer.objects.filter(kind=Transfer.Kind.EARN, target=account, service_date__range=(first, last),
                                     reversed_by__isnull=True)
    return earned.aggregate(total=Sum("amount"))["total"] or 0


def expirable(account: Account, *, now=None) -> int:
    """FIFO expiry: spending uses the oldest points first, so what the balance holds beyond the
    inflows of the expiry window is older than the window and expires."""
    from civicgrid.volunteering.policy import policy

    cutoff = (now or timezone.now()) - timedelta(days=round(policy().expiry_months * 30.44))
    recent = (Entry.objects.filter(account=account, amount__gt=0, transfer__created_at__gte=cutoff)
              .aggregate(total=Sum("amount"))["total"] or 0)
    current = Account.objects.values_list("balance", flat=True).get(pk=account.pk)
    return max(0, current - recent)
