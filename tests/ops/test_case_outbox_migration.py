"""cases 0006 drops the old case outbox: it refuses while unsent SMS wait there, unless told to drop them."""

import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0005_row_keys_for_encrypted_fields"), ("notifications", "0001_notifications")]
MOVED = ("cases", "0006_notifications_moved")
DROP = "CIVICGRID_DROP_UNSENT_CASE_SMS"

pytestmark = pytest.mark.xdist_group("migrations")


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


@pytest.fixture
def before_the_move(transactional_db, monkeypatch):
    """The schema just before cases 0006; the latest schema is restored afterwards."""
    monkeypatch.delenv(DROP, raising=False)
    executor = _executor()
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    monkeypatch.setenv(DROP, "1")  # rows a test left behind
    _executor().migrate(leaves)


def _outbox_row(apps, **fields):
    return apps.get_model("cases", "OutboxMessage").objects.create(
        recipient_cipher="v1:token", recipient_masked="138****0001", body="案件 2026-0001：已派遣", **fields)


def test_unsent_messages_stop_the_migration_with_how_to_drain_them(before_the_move):
    apps = before_the_move
    _outbox_row(apps)
    _outbox_row(apps, attempts=5)
    with pytest.raises(CommandError) as refused:
        _executor().migrate([MOVED])
    assert "1 unsent SMS and 1 that failed 5 times" in str(refused.value)
    assert "deliver_pending" in str(refused.value) and DROP in str(refused.value)
    assert _executor().loader.applied_migrations.keys() >= set(BEFORE)
    assert MOVED not in _executor().loader.applied_migrations
    assert apps.get_model("cases", "OutboxMessage").objects.count() == 2  # nothing was dropped


def test_a_drained_outbox_migrates(before_the_move):
    from django.utils import timezone

    _outbox_row(before_the_move, sent_at=timezone.now())
    _executor().migrate([MOVED])
    assert MOVED in _executor().loader.applied_migrations


def test_the_operator_may_drop_them_deliberately(before_the_move, monkeypatch):
    _outbox_row(before_the_move, attempts=5)
    monkeypatch.setenv(DROP, "1")
    _executor().migrate([MOVED])
    assert MOVED in _executor().loader.applied_migrations
