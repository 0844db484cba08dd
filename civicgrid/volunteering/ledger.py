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

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, Sum
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


_SYSTEM_IDS: dict[tuple[str, str], int] = {}  # (database, kind) -> id of a committed system account


def system_account(kind: str) -> Account:
    """The one account of a system kind (issuance, hold, …). Its id is remembered once the transaction that read
    or made it has committed, so a rolled-back creation is never remembered; a flush forgets them all."""
    key = (str(connection.settings_dict.get("NAME")), kind)
    known = _SYSTEM_IDS.get(key)
    if known is not None:
        return Account(pk=known, kind=kind)
    account = Account.objects.filter(kind=kind).first()
    if account is None:
        account = once(lambda: Account.objects.filter(kind=kind).first(), lambda: Account.objects.create(kind=kind))
    transaction.on_commit(lambda: _SYSTEM_IDS.__setitem__(key, account.pk))
    return account


def forget_system_accounts(**_signal) -> None:
    _SYSTEM_IDS.clear()


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


_TRANSFER_FIELDS = ("key", "kind", "source", "target", "amount", "service_date", "memo", "actor", "created_at")


def _sql() -> dict[str, str]:
    """The hot path's statements, written once per database vendor."""
    quote, vendor = connection.ops.quote_name, connection.vendor
    cached = _SQL.get(vendor)
    if cached is None:
        columns = ", ".join(quote(field.column) for field in _transfer_fields())
        placeholders = ", ".join(["%s"] * len(_TRANSFER_FIELDS))
        transfer, entry, account = (quote(model._meta.db_table) for model in (Transfer, Entry, Account))
        insert = (f"INSERT INTO {transfer} ({columns}) VALUES ({placeholders}) "  # noqa: S608 - model tables only
                  f"ON CONFLICT ({quote('key')}) DO NOTHING")
        entries = f"INSERT INTO {entry} (transfer_id, account_id, amount) "
        cached = {
            "transfer": f"{insert} RETURNING id",
            "entries": f"{entries} VALUES (%s, %s, %s), (%s, %s, %s)",  # noqa: S608
            "credit": f"UPDATE {account} SET balance = balance + %s WHERE id = %s",  # noqa: S608
            "debit": f"UPDATE {account} SET balance = balance - %s WHERE id = %s AND balance >= %s",  # noqa: S608
            "undo": f"DELETE FROM {entry} WHERE transfer_id = %s",  # noqa: S608 - model tables only
            "undo_transfer": f"DELETE FROM {transfer} WHERE id = %s",  # noqa: S608
            # PostgreSQL, at most one holder account: transfer, both entries and the balance in one statement.
            # Each part runs only if the key was new; a refused debit leaves the transfer and entries to delete.
            "one_holder": (
                f"WITH t AS ({insert} RETURNING id), "  # noqa: S608 - model tables only
                f"e AS ({entries} SELECT t.id, v.account, v.amount FROM t, (VALUES (%s::bigint, %s::bigint), "
                f"(%s::bigint, %s::bigint)) AS v(account, amount)), "
                f"m AS (UPDATE {account} SET balance = balance + %s WHERE id = %s AND balance >= %s "
                f"AND EXISTS (SELECT 1 FROM t) RETURNING 1) "
                f"SELECT (SELECT id FROM t), (SELECT count(*) FROM m)"),
        }
        _SQL[vendor] = cached
    return cached


_SQL: dict[str, dict[str, str]] = {}


def _transfer_fields() -> list:
    fields = {field.name: field for field in Transfer._meta.concrete_fields}
    return [fields[name] for name in _TRANSFER_FIELDS]


def _values(**values) -> list:
    return [field.get_db_prep_save(values[field.name], connection) for field in _transfer_fields()]


def _post_fast(*, key: str, kind: str, source: Account, target: Account, amount: int, actor,
               service_date: date | None, memo: str, created_at) -> int | None:
    """Insert the transfer, its entries and the balance moves without a savepoint: the key's unique index
    answers a replay (`ON CONFLICT DO NOTHING`, then None), and a refused debit deletes what this call wrote
    (rows it alone can see and holds locks on) before raising, so the caller's transaction is left untouched."""
    sql = _sql()
    values = _values(key=key, kind=kind, source=source.pk, target=target.pk, amount=amount,
                     service_date=service_date, memo=memo[:200], created_at=created_at,
                     actor=actor.pk if getattr(actor, "is_authenticated", False) else None)
    moves = sorted(((account.pk, delta) for account, delta in ((source, -amount), (target, amount))
                    if account.kind not in SYSTEM_KINDS))  # primary-key order: no deadlock between two transfers
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(moves) <= 1:
            holder, delta = moves[0] if moves else (None, 0)
            cursor.execute(sql["one_holder"], [*values, source.pk, -amount, target.pk, amount,
                                               delta, holder, max(0, -delta)])
            transfer_id, moved = cursor.fetchone()
            if transfer_id is not None and holder is not None and moved != 1:
                cursor.execute(sql["undo"], [transfer_id])
                cursor.execute(sql["undo_transfer"], [transfer_id])
                raise InsufficientPoints()
            return transfer_id
        cursor.execute(sql["transfer"], values)
        row = cursor.fetchone()
        if row is None:
            return None
        transfer_id, done = row[0], list[tuple[int, int]]()
        for account_id, delta in moves:
            if delta < 0:
                cursor.execute(sql["debit"], [-delta, account_id, -delta])
            else:
                cursor.execute(sql["credit"], [delta, account_id])
            if cursor.rowcount != 1:
                for undo_id, undo_delta in done:
                    cursor.execute(sql["credit"], [-undo_delta, undo_id])
                cursor.execute(sql["undo_transfer"], [transfer_id])
                raise InsufficientPoints()
            done.append((account_id, delta))
        cursor.execute(sql["entries"], [transfer_id, source.pk, -amount, transfer_id, target.pk, amount])
        return transfer_id


def post(*, key: str, kind: str, source: Account, target: Account, amount: int, actor=None,
         reverses: Transfer | None = None, service_date: date | None = None, memo: str = "") -> Transfer:
    """Move `amount` points from `source` to `target` once per `key`."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger.post must run inside a transaction")

    def lookup():
        found = Transfer.objects.filter(key=key).first()
        return found and _same(found, kind=kind, source=source, target=target, amount=amount)

    if reverses is None and amount > 0 and source.pk != target.pk:
        created_at = timezone.now()
        transfer_id = _post_fast(key=key, kind=kind, source=source, target=target, amount=amount, actor=actor,
                                 service_date=service_date, memo=memo, created_at=created_at)
        if transfer_id is None:  # the key was used before (by this or a concurrent, now committed, writer)
            found = lookup()
            if found is None:
                raise IntegrityError(f"transfer key {key!r} conflicts but cannot be read")
            return found
        transfer = Transfer(pk=transfer_id, key=key, kind=kind, source=source, target=target, amount=amount,
                            service_date=service_date, memo=memo[:200], created_at=created_at,
                            actor=actor if getattr(actor, "is_authenticated", False) else None)
        transfer._state.adding = False
        return transfer

    def action():  # reversals (one per original) and invalid transfers: the constraints decide, in a savepoint
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


def earned_on_day_and_month(account: Account, day: date, first: date, last: date) -> tuple[int, int]:
    """`earned_between` for one service day and for its month [first, last], in one query (the caps' reads)."""
    earned = Transfer.objects.filter(kind=Transfer.Kind.EARN, target=account, service_date__range=(first, last),
                                     reversed_by__isnull=True)
    totals = earned.aggregate(day=Sum("amount", filter=Q(service_date=day)), month=Sum("amount"))
    return totals["day"] or 0, totals["month"] or 0


def expirable(account: Account, *, now=None) -> int:
    """FIFO expiry: spending uses the oldest points first, so what the balance holds beyond the
    inflows of the expiry window is older than the window and expires."""
    from civicgrid.volunteering.policy import policy

    cutoff = (now or timezone.now()) - timedelta(days=round(policy().expiry_months * 30.44))
    recent = (Entry.objects.filter(account=account, amount__gt=0, transfer__created_at__gte=cutoff)
              .aggregate(total=Sum("amount"))["total"] or 0)
    current = Account.objects.values_list("balance", flat=True).get(pk=account.pk)
    return max(0, current - recent)
