"""The audit log as several parallel hash chains: every chain is verified on its own, tampering in any chain is
found, purge works chain by chain, and concurrent writers spread over the chains without gaps."""

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from civicgrid.core import audit
from civicgrid.core.models import AuditChainHead, AuditEvent
from tests.core.test_audit import _raw, _reseal

pytestmark = pytest.mark.django_db


@pytest.fixture
def four_chains(settings):
    settings.AUDIT_CHAINS = 4
    audit._heads_checked.clear()
    yield 4
    audit._heads_checked.clear()


def _write_on(chain, n):
    for i in range(n):
        connection._audit_chain = chain  # the chain this connection prefers (free here, so it is the one taken)
        with transaction.atomic():
            event = audit.record(actor=None, action="test.event", target_type="thing", target_id=f"{chain}-{i}")
        assert event.chain == chain


def _spread(per_chain=3):
    for chain in (1, 2, 3, 4):
        _write_on(chain, per_chain)


def _problems():
    return " | ".join(audit.verify().problems)


def test_every_chain_links_and_verifies(four_chains):
    _spread()
    result = audit.verify()
    assert result.ok, result.problems
    assert (result.checked, result.chains) == (12, 4)
    for chain in (1, 2, 3, 4):
        events = list(AuditEvent.objects.filter(chain=chain).order_by("seq"))
        assert [e.seq for e in events] == [1, 2, 3]
        assert events[0].prev_hash == "0" * 64
        assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
        head = AuditChainHead.objects.get(id=chain)
        assert (head.last_seq, head.last_hash) == (3, events[-1].hash)
    assert list(AuditEvent.objects.values_list("id", flat=True)) == sorted(AuditEvent.objects.values_list("id",
                                                                                                          flat=True))


def test_all_heads_exist_after_the_first_event(four_chains):
    _write_on(2, 1)
    assert sorted(AuditChainHead.objects.values_list("id", flat=True)) == [1, 2, 3, 4]
    assert audit.verify().ok


def test_events_of_one_transaction_stay_on_its_chain(four_chains):
    _spread(1)
    connection._audit_chain = 3
    with transaction.atomic():
        first = audit.record(actor=None, action="test.one")
        second = audit.record(actor=None, action="test.two")
    assert (first.chain, second.chain) == (3, 3) and second.seq == first.seq + 1
    assert second.prev_hash == first.hash
    assert audit.verify().ok


@pytest.mark.parametrize("chain", [1, 3])
def test_an_altered_row_in_any_chain_is_found(four_chains, chain):
    _spread()
    _raw("UPDATE core_auditevent SET target_id = 'forged' WHERE chain = %s AND seq = 2", [chain])
    assert f"chain {chain}: event 2 was altered" in _problems()
    with pytest.raises(Exception, match="audit chain is broken"):
        call_command("audit", "verify")


def test_a_deleted_middle_row_in_any_chain_is_found(four_chains):
    _spread()
    _raw("DELETE FROM core_auditevent WHERE chain = 2 AND seq = 2")
    assert "chain 2: events 2..2 are missing" in _problems()


def test_a_deleted_last_row_in_any_chain_is_found(four_chains):
    _spread()
    _raw("DELETE FROM core_auditevent WHERE chain = 4 AND seq = 3")
    assert "chain 4: the chain ends at 2 but the head says 3" in _problems()


def test_a_deleted_chain_with_its_head_is_found(four_chains):
    _spread()
    _raw("DELETE FROM core_auditevent WHERE chain = 4")
    _raw("DELETE FROM core_auditchainhead WHERE id = 4")
    assert "chain heads [4] are missing" in _problems()


def test_a_row_appended_behind_the_heads_back_is_found(four_chains):
    _spread()
    _raw("INSERT INTO core_auditevent (chain, seq, at, actor_name, actor_role, action, target_type, target_id, "
         "region_code, ip, correlation_id, outcome, detail, prev_hash, hash) SELECT chain, 4, at, actor_name, "
         "actor_role, action, target_type, target_id, region_code, ip, correlation_id, outcome, detail, hash, hash "
         "FROM core_auditevent WHERE chain = 2 AND seq = 3")
    assert "chain 2: event 4 lies beyond the head" in _problems()


def test_a_row_moved_to_another_chain_is_found(four_chains):
    _spread()
    _raw("DELETE FROM core_auditevent WHERE chain = 3 AND seq = 3")
    _raw("UPDATE core_auditevent SET chain = 3 WHERE chain = 2 AND seq = 3")
    problems = _problems()
    assert "chain 2: the chain ends at 2" in problems and "chain 3: event 3" in problems


def test_events_of_a_chain_without_head_are_found(four_chains):
    _spread()
    _raw("UPDATE core_auditevent SET chain = 9 WHERE chain = 4")
    assert "chain 9: events without a chain head" in _problems()


def test_purge_works_chain_by_chain(four_chains, settings):
    _spread(4)
    old = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS + 5)
    _raw("UPDATE core_auditevent SET at = %s WHERE seq <= 2 AND chain <> 4", [old])
    _reseal()
    assert audit.verify().ok
    assert audit.purge() == 6
    anchors = dict(AuditChainHead.objects.values_list("id", "anchor_seq"))
    assert anchors == {1: 2, 2: 2, 3: 2, 4: 0}
    assert not AuditEvent.objects.filter(seq__lte=2, chain__lt=4).exists()
    result = audit.verify()
    assert result.ok, result.problems
    purge_event = AuditEvent.objects.last()
    assert purge_event.action == "audit.purge"
    assert purge_event.detail["deleted"] == 6 and purge_event.detail["up_to_seq"] == {"1": 2, "2": 2, "3": 2}
    assert audit.purge() == 0
    _raw("DELETE FROM core_auditevent WHERE chain = 1 AND seq = 3")  # the new first link after the anchor
    assert "chain 1: events 3..3 are missing" in _problems()


def test_the_command_reports_the_chains(four_chains, capsys):
    _spread(2)
    call_command("audit", "verify")
    assert "8 events in 4 chains" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("chains", [3, 16])
def test_concurrent_writers_keep_every_chain_unbroken(settings, chains):
    settings.AUDIT_CHAINS = chains
    audit._heads_checked.clear()
    writers, per_writer = 6, 12

    def writer(n):
        try:
            for i in range(per_writer):
                with transaction.atomic():
                    audit.record(actor=None, action="test.concurrent", target_id=f"{n}-{i}")
                    time.sleep(0.002)  # hold the chain a little so the writers overlap
                    audit.record(actor=None, action="test.concurrent.second", target_id=f"{n}-{i}")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=writers) as pool:
        list(pool.map(writer, range(writers)))
    result = audit.verify()
    assert result.ok, result.problems
    assert result.checked == 2 * writers * per_writer
    used = set()
    for chain in range(1, chains + 1):
        seqs = list(AuditEvent.objects.filter(chain=chain).order_by("seq").values_list("seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
        if seqs:
            used.add(chain)
    for first, second in zip(AuditEvent.objects.filter(action="test.concurrent").order_by("target_id"),
                             AuditEvent.objects.filter(action="test.concurrent.second").order_by("target_id"),
                             strict=True):
        assert (second.chain, second.seq, second.prev_hash) == (first.chain, first.seq + 1, first.hash)
    if connection.vendor == "postgresql":  # SKIP LOCKED: overlapping transactions take different chains
        assert len(used) > 1
    audit._heads_checked.clear()


def test_chain_one_hashes_exactly_as_the_single_chain_did(settings):
    """Events written before the chains existed are chain 1 after the migration and still verify."""
    import hashlib
    import json
    from datetime import UTC

    settings.AUDIT_CHAINS = 1
    _write_on(1, 2)
    for event in AuditEvent.objects.all():
        legacy = {name: getattr(event, name) for name in audit._HASHED_FIELDS}
        legacy["at"] = event.at.astimezone(UTC).isoformat(timespec="microseconds")
        canonical = json.dumps(legacy, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
        assert hashlib.sha256(canonical.encode()).hexdigest() == event.hash


def test_raising_the_number_of_chains_keeps_the_old_one(settings):
    settings.AUDIT_CHAINS = 1
    audit._heads_checked.clear()
    _write_on(1, 3)
    settings.AUDIT_CHAINS = 4
    _write_on(3, 2)
    result = audit.verify()
    assert result.ok, result.problems
    assert (result.checked, result.chains) == (5, 4)
    audit._heads_checked.clear()
