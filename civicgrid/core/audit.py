"""Writing and verifying the hash-chained audit log. `record` must run inside the caller's transaction.

The log is `AUDIT_CHAINS` independent hash chains (numbered 1..N), each with its own head row. A writer
locks one head until its transaction ends; on PostgreSQL it takes the first free head with
`SELECT … FOR UPDATE SKIP LOCKED`, starting from the chain its connection used last, so concurrent writers
never queue behind each other unless more than N transactions append at once. Every chain keeps the
guarantees of a single chain: a gap-free `seq`, each link naming its predecessor's hash, and a head that
records the last link, so `verify` finds any altered, inserted or deleted row in any chain.
"""

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from civicgrid.core.context import current_request_info
from civicgrid.core.models import AuditChainHead, AuditEvent
from civicgrid.core.prepared import insert

_HASHED_FIELDS = ("seq", "at", "actor_id", "actor_name", "actor_role", "action", "target_type", "target_id",
                  "region_code", "ip", "correlation_id", "outcome", "detail", "prev_hash")
GENESIS = "0" * 64
_listeners: list = []  # callables(action) told of every event recorded (e.g. the cockpit's figure cache)
_heads_checked: set[tuple[str, int]] = set()  # (database name, chains) for which every head row was seen


def chain_count() -> int:
    """`settings.AUDIT_CHAINS`; by default 16 on PostgreSQL and 1 on SQLite (which runs one writer at a time)."""
    configured = getattr(settings, "AUDIT_CHAINS", None)
    if configured is None:
        configured = 16 if connection.vendor == "postgresql" else 1
    return max(1, int(configured))


def _link_hash(event: AuditEvent) -> str:
    values = {name: getattr(event, name) for name in _HASHED_FIELDS}
    values["at"] = event.at.astimezone(UTC).isoformat(timespec="microseconds")
    if event.chain != 1:  # chain 1 hashes exactly as the single chain did, so events from before still verify
        values["chain"] = event.chain
    canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _ensure_heads(chains: int) -> None:
    """Create every head row 1..chains at once (so a chain deleted with its head is noticed by `verify`)."""
    key = (str(connection.settings_dict.get("NAME")), chains)
    if key in _heads_checked:
        return
    if AuditChainHead.objects.filter(id__lte=chains).count() < chains:
        AuditChainHead.objects.bulk_create([AuditChainHead(id=chain) for chain in range(1, chains + 1)],
                                           ignore_conflicts=True)
    _heads_checked.add(key)


def _preferred_chain(chains: int) -> int:
    chain = getattr(connection, "_audit_chain", None)
    if chain is None or chain > chains:
        chain = (os.getpid() * 7 + threading.get_ident()) % chains + 1
    return chain


def _locked_head() -> AuditChainHead:
    """Lock and return a chain head for the current transaction (the one it already holds, if any)."""
    chains = chain_count()
    preferred = _preferred_chain(chains)
    head = None
    if chains > 1 and connection.features.has_select_for_update_skip_locked:
        # Rows this transaction already locked are not skipped: a second event in the same transaction
        # lands on the chain it holds (the preferred one is the chain this connection used last).
        _ensure_heads(chains)  # once per process: a head missing later (a flushed test database) is made below
        table = AuditChainHead._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, last_seq, last_hash FROM {table} WHERE id <= %s "  # noqa: S608 - model table
                           f"ORDER BY (id + %s - %s) %% %s LIMIT 1 FOR UPDATE SKIP LOCKED",
                           [chains, chains, preferred, chains])
            row = cursor.fetchone()
        if row is not None:
            head = AuditChainHead(id=row[0], last_seq=row[1], last_hash=row[2])
    if head is None:  # one chain, no SKIP LOCKED, every head busy, or no head rows yet: wait for ours
        head = _head_for_update(preferred)
        if head is None:  # first event ever (or a flushed test database)
            _heads_checked.discard((str(connection.settings_dict.get("NAME")), chains))
            _ensure_heads(chains)
            head = AuditChainHead.objects.select_for_update().get(id=preferred)
    connection._audit_chain = head.id  # type: ignore[attr-defined]
    return head


def _head_for_update(chain: int) -> AuditChainHead | None:
    """The head row, locked where the database locks rows (SQLite's IMMEDIATE transaction already holds the
    database's write lock); plain SQL, as this runs on every audited write."""
    table = connection.ops.quote_name(AuditChainHead._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, last_seq, last_hash FROM {table} WHERE id = %s{lock}", [chain])  # noqa: S608
        row = cursor.fetchone()
    return AuditChainHead(id=row[0], last_seq=row[1], last_hash=row[2]) if row else None


def record(*, actor, action: str, target=None, target_type: str = "", target_id: str = "",
           region_code: str = "", outcome: str = AuditEvent.Outcome.SUCCESS, detail: dict | None = None) -> AuditEvent:
    """Append one event. Call it inside the transaction of the change it describes."""
    return append(event_for(actor=actor, action=action, target=target, target_type=target_type,
                            target_id=target_id, region_code=region_code, outcome=outcome, detail=detail))


def event_for(*, actor, action: str, target=None, target_type: str = "", target_id: str = "",
              region_code: str = "", outcome: str = AuditEvent.Outcome.SUCCESS,
              detail: dict | None = None) -> AuditEvent:
    """The event's own fields, built before the transaction where that shortens it (`append` it inside)."""
    info = current_request_info()
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent(
        actor_id=actor.pk if authenticated else None,
        actor_name=actor.get_username() if authenticated else "",
        actor_role=getattr(actor, "role", "") if authenticated else "",
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        region_code=region_code,
        ip=info.ip,
        correlation_id=info.correlation_id,
        outcome=outcome,
        detail=detail or {},
    )


def append(event: AuditEvent) -> AuditEvent:
    """Link `event` (from `event_for`) to a chain and write it. Call it inside the transaction of the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside a transaction")
    head = _locked_head()  # as late as possible: the lock is held until the transaction ends
    event.chain, event.seq, event.prev_hash, event.at = head.id, head.last_seq + 1, head.last_hash, timezone.now()
    event.hash = _link_hash(event)
    if connection.vendor == "postgresql":  # the event and its head in one round trip
        fields = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]
        with connection.cursor() as cursor:
            cursor.execute(_append_sql(fields), [*(field.get_db_prep_save(getattr(event, field.attname), connection)
                                                  for field in fields), event.seq, event.hash, head.id])
            event.pk = cursor.fetchone()[0]
        event._state.adding, event._state.db = False, connection.alias
    else:
        insert(event)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {connection.ops.quote_name(AuditChainHead._meta.db_table)} "  # noqa: S608
                           "SET last_seq = %s, last_hash = %s WHERE id = %s", [event.seq, event.hash, head.id])
    for listener in _listeners:
        listener(event.action)
    return event


def on_record(listener) -> None:
    """Call `listener(action)` inside the transaction of every event recorded from now on."""
    if listener not in _listeners:
        _listeners.append(listener)


_APPEND_SQL: list[str] = []


def _append_sql(fields) -> str:
    if not _APPEND_SQL:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        _APPEND_SQL.append(
            f"WITH e AS (INSERT INTO {quote(AuditEvent._meta.db_table)} ({columns}) "  # noqa: S608 - model tables
            f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING id), "
            f"h AS (UPDATE {quote(AuditChainHead._meta.db_table)} SET last_seq = %s, last_hash = %s WHERE id = %s) "
            f"SELECT id FROM e")
    return _APPEND_SQL[0]


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    problems: list[str]
    chains: int = 0


def _verify_chain(head: AuditChainHead, batch: int, problems: list[str]) -> int:
    """Walk one chain from its purge anchor to the head as read at the start (events appended meanwhile are
    checked for a head that covers them, so verifying a live system reports nothing)."""
    chain = head.id
    expected_seq, expected_prev, checked = head.anchor_seq + 1, head.anchor_hash, 0
    queryset = AuditEvent.objects.filter(chain=chain, seq__lte=head.last_seq).order_by("seq")
    last_seq = head.anchor_seq
    while True:
        rows = list(queryset.filter(seq__gt=last_seq)[:batch])
        if not rows:
            break
        for event in rows:
            if event.seq != expected_seq:
                problems.append(f"chain {chain}: events {expected_seq}..{event.seq - 1} are missing")
            if event.prev_hash != expected_prev:
                problems.append(f"chain {chain}: event {event.seq} does not follow its predecessor")
            if _link_hash(event) != event.hash:
                problems.append(f"chain {chain}: event {event.seq} was altered")
            expected_seq, expected_prev, checked = event.seq + 1, event.hash, checked + 1
        last_seq = rows[-1].seq
    if head.last_seq != expected_seq - 1 or head.last_hash != expected_prev:
        problems.append(f"chain {chain}: the chain ends at {expected_seq - 1} but the head says {head.last_seq}: "
                        "events were removed")
    beyond = AuditEvent.objects.filter(chain=chain, seq__gt=head.last_seq).aggregate(top=Max("seq"))["top"]
    if beyond is not None:
        now = AuditChainHead.objects.filter(id=chain).values_list("last_seq", flat=True).first() or 0
        if beyond > now:
            problems.append(f"chain {chain}: event {beyond} lies beyond the head ({now}): events were inserted")
    if AuditEvent.objects.filter(chain=chain, seq__lte=head.anchor_seq).exists():
        problems.append(f"chain {chain}: events older than the purge anchor remain")
    return checked


def verify(*, batch: int = 5000) -> VerifyResult:
    """Verify every chain; report every broken link, missing head and orphaned event."""
    heads = {head.id: head for head in AuditChainHead.objects.order_by("id")}
    problems: list[str] = []
    if heads:  # heads are created together, 1..AUDIT_CHAINS: a missing one was deleted
        expected = range(1, max(chain_count(), *heads) + 1)
        missing = [chain for chain in expected if chain not in heads]
        if missing:
            problems.append(f"chain heads {missing} are missing (deleted, or AUDIT_CHAINS was raised and nothing "
                            "was recorded since)")
    orphans = sorted(set(AuditEvent.objects.exclude(chain__in=list(heads)).values_list("chain", flat=True)))
    for chain in orphans:
        problems.append(f"chain {chain}: events without a chain head")
        heads[chain] = AuditChainHead(id=chain)
    checked = sum(_verify_chain(head, batch, problems) for head in heads.values())
    return VerifyResult(ok=not problems, checked=checked, problems=problems, chains=len(heads))


def purge(*, actor=None, now=None) -> int:
    """Delete events older than the retention period, moving each chain's anchor to its last deleted link."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    with transaction.atomic():
        count, up_to = 0, {}
        for head in AuditChainHead.objects.select_for_update().order_by("id"):
            last_old = (AuditEvent.objects.filter(chain=head.id, seq__gt=head.anchor_seq, at__lt=cutoff)
                        .order_by("-seq").first())
            if last_old is None:
                continue
            doomed = AuditEvent.objects.filter(chain=head.id, seq__lte=last_old.seq)
            count += doomed._raw_delete(doomed.db)  # bypasses the append-only guard on purpose
            head.anchor_seq, head.anchor_hash = last_old.seq, last_old.hash
            head.save(update_fields=["anchor_seq", "anchor_hash"])
            up_to[str(head.id)] = last_old.seq
        if not count:
            return 0
        record(actor=actor, action="audit.purge", detail={"deleted": count, "up_to_seq": up_to,
                                                          "cutoff": cutoff.isoformat()})
        return count
