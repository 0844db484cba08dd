"""Tasks of a worker that died are run again (or given up with a reason); periodic ticks run once across workers.

The worker's death is simulated here by a lease whose heartbeat stopped; tests/ops/test_scale_out.py kills real
huey consumers with TERM and KILL on PostgreSQL + Redis."""

import threading
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone
from huey import signals
from huey.contrib.djhuey import HUEY

from civicgrid.core import leases
from civicgrid.core.models import AuditEvent, TaskLease
from civicgrid.core.tasks import purge_old_audit_events, reap_lost_tasks
from civicgrid.servicecircle import services
from civicgrid.servicecircle.models import AnalysisRun, Status
from civicgrid.servicecircle.tasks import run_analysis
from tests.conftest import DISTRICT
from tests.servicecircle.conftest import categories, network, scene  # noqa: F401 - fixtures

pytestmark = pytest.mark.xdist_group("servicecircle")


@pytest.fixture(autouse=True)
def _no_heartbeat_left_behind():
    yield
    leases.stop_heartbeat()


@pytest.fixture
def consumer_mode(transactional_db):
    """HUEY as a consumer runs it (the test settings run tasks immediately, without leases). Transactional:
    a consumer closes the database connection around each task."""
    HUEY.immediate = False
    HUEY.storage.flush_queue()
    yield HUEY
    HUEY.storage.flush_queue()
    HUEY.immediate = True


def _run_left_running_by_dead_worker(scene, *, attempts=0) -> AnalysisRun:  # noqa: F811
    run = services.start_run(actor=scene["district"], region_code=DISTRICT,
                             category_codes=["kindergarten", "primary_school"], enqueue=False)
    AnalysisRun.objects.filter(pk=run.pk).update(status=Status.RUNNING, started_at=timezone.now())
    task = run_analysis.s(run.pk)
    TaskLease.objects.create(task_id=task.id, name=HUEY._registry.task_to_string(run_analysis.task_class),
                             message=HUEY.serialize_task(task), owner="gone-host:4242:abcd",
                             started_at=timezone.now() - timedelta(minutes=5), attempts=attempts,
                             expires_at=timezone.now() - timedelta(seconds=1))
    return run


def test_a_lost_run_is_requeued_reopened_and_finished(scene, consumer_mode):  # noqa: F811 - the imported fixture
    run = _run_left_running_by_dead_worker(scene)
    task_id = TaskLease.objects.get().task_id
    requeued: list[bytes] = []
    recovered = leases.reap(enqueue=requeued.append)
    assert [(r.task_id, r.attempts, r.given_up) for r in recovered] == [(task_id, 1, False)]
    assert leases.reap(enqueue=requeued.append) == []  # claimed once, even by several reapers
    assert AuditEvent.objects.filter(action="core.task.requeue", target_id=task_id).count() == 1

    consumer_mode.execute(consumer_mode.deserialize_task(requeued[0]))
    run.refresh_from_db()
    assert run.status == Status.DONE
    assert AuditEvent.objects.filter(action="servicecircle.run.recover", target_id=str(run.pk)).exists()
    assert not TaskLease.objects.exists()


def test_a_task_lost_too_often_is_given_up_with_the_reason(scene, consumer_mode):  # noqa: F811 - the imported fixture
    run = _run_left_running_by_dead_worker(scene, attempts=leases.max_recoveries())
    requeued: list[bytes] = []
    recovered = leases.reap(enqueue=requeued.append)
    assert [r.given_up for r in recovered] == [True] and requeued == []
    run.refresh_from_db()
    assert run.status == Status.FAILED and "4" in run.error and "后台进程" in run.error
    assert AuditEvent.objects.get(action="core.task.abandon").outcome == AuditEvent.Outcome.FAILED
    assert not TaskLease.objects.exists()


def test_a_running_task_holds_a_lease_its_heartbeat_renews(db, settings):
    settings.TASK_LEASE_SECONDS = 30
    assert leases.take(task_id="t-1", name="x.y", message=b"m") == 0
    lease = TaskLease.objects.get()
    TaskLease.objects.update(expires_at=timezone.now() + timedelta(seconds=1))
    assert leases.renew() == 1
    assert TaskLease.objects.get().expires_at > lease.expires_at - timedelta(seconds=1)
    assert leases.reap(enqueue=lambda m: None) == []  # alive: not reaped
    leases.release(task_id="t-1")
    assert not TaskLease.objects.exists()


def test_a_task_interrupted_by_a_stopping_worker_goes_back_on_the_queue(db, consumer_mode):
    task = purge_old_audit_events.s()
    leases.take(task_id=str(task.id), name="civicgrid.core.tasks.purge_old_audit_events",
                message=consumer_mode.serialize_task(task))
    consumer_mode._emit(signals.SIGNAL_INTERRUPTED, task)  # what huey emits when the stop timeout ran out
    assert [t.id for t in consumer_mode.pending()] == [task.id]
    lease = TaskLease.objects.get()  # kept, so that the next run knows it recovers a half-done task
    assert (lease.owner, lease.attempts) == ("", 1)
    assert AuditEvent.objects.get(action="core.task.requeue").detail["why"] == "worker stopped"


def _heartbeat_after_first_lease_read(beats: list[int]):
    """A query wrapper: right after the first read of a lease, the heartbeat (another thread, its own connection,
    the real `renew`) pushes this worker's leases forward, i.e. between hand_back's read and its claim."""
    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not beats and sql.lstrip().upper().startswith("SELECT") and TaskLease._meta.db_table in sql:
            def beat():
                beats.append(leases.renew())
                connection.close()
            thread = threading.Thread(target=beat)
            thread.start()
            thread.join()
        return result
    return wrapper


def test_a_renewal_between_read_and_claim_still_hands_the_task_back_as_a_recovery(scene, consumer_mode,  # noqa: F811
                                                                                 settings):
    """The stopping worker's heartbeat renews the lease after hand_back read it: the task must still go back as
    a recovery, so that its next run reopens the run it left 'running' (it went back as a first run before)."""
    settings.TASK_LEASE_SECONDS = 30
    run = services.start_run(actor=scene["district"], region_code=DISTRICT,
                             category_codes=["kindergarten", "primary_school"], enqueue=False)
    AnalysisRun.objects.filter(pk=run.pk).update(status=Status.RUNNING, started_at=timezone.now())
    task = run_analysis.s(run.pk)
    leases.take(task_id=str(task.id), name=HUEY._registry.task_to_string(run_analysis.task_class),
                message=consumer_mode.serialize_task(task))  # as the worker's _execute does
    TaskLease.objects.update(expires_at=timezone.now() + timedelta(seconds=5))  # so that a renewal changes it
    beats: list[int] = []
    with connection.execute_wrapper(_heartbeat_after_first_lease_read(beats)):
        consumer_mode._emit(signals.SIGNAL_INTERRUPTED, task)  # the stop timeout ran out while the task ran
    leases.release(task_id=str(task.id))  # what _execute's `finally` does next, in the stopping worker
    assert beats == [1]  # the renewal did land between the read and the claim

    [pending] = consumer_mode.pending()
    consumer_mode.execute(pending)  # another worker takes it
    run.refresh_from_db()
    assert run.status == Status.DONE  # reopened and finished, not left 'running'
    assert AuditEvent.objects.filter(action="servicecircle.run.recover", target_id=str(run.pk)).exists()
    assert AuditEvent.objects.get(action="core.task.requeue").detail["why"] == "worker stopped"
    assert not TaskLease.objects.exists()


def test_each_periodic_tick_is_enqueued_by_one_worker_only(db):
    tick = datetime(2026, 1, 5, 3, 17)  # purge_old_audit_events and the reaper are both due
    first = {type(t).__name__ for t in HUEY.read_periodic(tick)}
    second = HUEY.read_periodic(tick)  # the other worker's scheduler, same minute
    assert {"purge_old_audit_events", "reap_lost_tasks"} <= first
    assert second == []
    assert {type(t).__name__ for t in HUEY.read_periodic(tick + timedelta(minutes=1))} >= {"reap_lost_tasks"}


def test_the_reaper_task_requeues_onto_the_queue(scene, consumer_mode):  # noqa: F811 - the imported fixture
    _run_left_running_by_dead_worker(scene)
    reap_lost_tasks.call_local()
    assert [type(t).__name__ for t in consumer_mode.pending()] == ["run_analysis"]
