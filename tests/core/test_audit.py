from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from civicgrid.core import audit
from civicgrid.core.models import AuditChainHead, AuditEvent


def _write(n, actor=None):
    for i in range(n):
        with transaction.atomic():
            audit.record(actor=actor, action="test.event", target_type="thing", target_id=str(i))


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _reseal():
    """Backdating changes hashed fields: re-seal every chain as if its rows had been written then."""
    for chain in set(AuditEvent.objects.values_list("chain", flat=True)):
        prev = AuditChainHead.objects.get(id=chain).anchor_hash
        for event in AuditEvent.objects.filter(chain=chain).order_by("seq"):
            event.prev_hash = prev
            prev = audit._link_hash(event)
            _raw("UPDATE core_auditevent SET prev_hash=%s, hash=%s WHERE id=%s", [event.prev_hash, prev, event.pk])
        _raw("UPDATE core_auditchainhead SET last_hash=%s WHERE id=%s", [prev, chain])


pytestmark = pytest.mark.django_db


def test_chain_verifies_and_links(users):
    _write(5, users["district"])
    result = audit.verify()
    assert result.ok and result.checked == 5
    events = list(AuditEvent.objects.all())
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    assert events[0].actor_name == "district-110107" and events[0].actor_role == "district"


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        audit.record(actor=None, action="x")


def test_edited_row_is_detected_by_the_command():
    _write(3)
    _raw("UPDATE core_auditevent SET target_id = 'forged' WHERE seq = 2")
    assert not audit.verify().ok
    with pytest.raises(CommandError):
        call_command("audit", "verify")


def test_deleted_middle_row_is_detected():
    _write(4)
    _raw("DELETE FROM core_auditevent WHERE seq = 2")
    problems = audit.verify().problems
    assert any("missing" in p for p in problems)


def test_deleted_last_row_is_detected():
    _write(3)
    _raw("DELETE FROM core_auditevent WHERE seq = 3")
    assert not audit.verify().ok


def test_rows_cannot_be_changed_through_the_orm():
    _write(1)
    event = AuditEvent.objects.get()
    event.action = "changed"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_purge_keeps_the_chain_verifiable(settings):
    _write(4)
    old = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS + 5)
    _raw("UPDATE core_auditevent SET at = %s WHERE seq <= 2", [old])
    _reseal()
    assert audit.verify().ok
    assert audit.purge() == 2
    assert not AuditEvent.objects.filter(seq__lte=2).exists()
    result = audit.verify()
    assert result.ok, result.problems
    assert AuditEvent.objects.last().action == "audit.purge"
    assert audit.purge() == 0


def test_retention_is_at_least_180_days(settings):
    assert settings.AUDIT_RETENTION_DAYS >= 180


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain(settings):
    settings.AUDIT_CHAINS = 1
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def writer(n):
        try:
            _write(10)
        finally:
            connections.close_all()
        return n

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(writer, range(4)))
    result = audit.verify()
    assert result.ok, result.problems
    assert result.checked == 40
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, 41))
