"""The scale-out topology proven: two gunicorn app servers and two huey workers on one PostgreSQL and one Redis.

Sessions, throttles, cases and tasks are shared; periodic jobs run once per tick although both workers schedule
them; a worker stopped with TERM or killed with KILL in the middle of a task loses nothing. A task is held in the
middle by locking the run results table from a second connection: the task's final transaction waits there (after
it marked its run "running"), as it would behind a long computation."""

import os
import re
import signal
import time
from datetime import datetime, timedelta

import psycopg
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from civicgrid.accounts.models import Role
from civicgrid.cases import taxonomy
from civicgrid.cases.models import Case, HandlingUnit, State
from civicgrid.cases.tasks import sweep_overdue_cases
from civicgrid.core.models import AuditEvent, TaskLease
from civicgrid.core.taskqueue import RedisQueue
from civicgrid.servicecircle import services as circle
from civicgrid.servicecircle.models import AnalysisRun, PlaceResult, Status
from civicgrid.servicecircle.reference import seed_categories
from civicgrid.servicecircle.tasks import run_analysis
from tests.conftest import DISTRICT, PASSWORD, make_user
from tests.ops.cluster import INSTANCE, LEASE_SECONDS, STOP_SECONDS, Browser, Cluster, redis_url, wait_until
from tests.servicecircle.conftest import LATTICE, make_place, node

_on_pg = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
_on_redis = os.environ.get("REDIS_URL", "").startswith("redis://")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("scale_out"),
    pytest.mark.skipif(not (_on_pg and _on_redis), reason="the scale-out proof needs DATABASE_URL=postgres://… and "
                                                          "REDIS_URL=redis://… (the PostgreSQL + Redis leg of CI)"),
]
IN_GRID_A = (116.155, 39.905)


@pytest.fixture(scope="module")
def queue():
    """The workers' queue, as the app servers see it."""
    shared = RedisQueue(INSTANCE, url=redis_url(), immediate=False)
    shared.storage.flush_queue()
    return shared


@pytest.fixture(scope="module")
def cluster(django_db_setup, queue, tmp_path_factory):
    started = Cluster(tmp_path_factory.mktemp("scale-out-logs"))
    try:
        yield started.start()
    finally:
        started.stop()


def _resident(username: str):
    """A resident whose password the servers can check (the test settings hash with MD5, production does not)."""
    user = make_user(username, Role.RESIDENT)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    return user


def _enqueue(queue, task) -> None:
    queue.storage.enqueue(HUEY.serialize_task(task))


def _executed(cluster, task) -> bool:
    return any(f"{task.id} executed in" in worker.text() for worker in cluster.workers)


def test_sessions_throttles_and_cases_are_shared(cluster, transactional_db, regions):
    _resident("resident-9")
    browser = Browser()
    assert browser.login(cluster.url(0, "/accounts/login/"), "resident-9", PASSWORD) == 302
    status, body = browser.request(cluster.url(0, "/api/v1/cases"), json_body={
        "description": "路灯不亮", "lon": IN_GRID_A[0], "lat": IN_GRID_A[1], "phone": "13912345678"})
    assert status == 201, body
    case = Case.objects.get()
    status, body = browser.request(cluster.url(1, f"/api/v1/cases/{case.pk}"))  # the session made on A, on B
    assert status == 200 and str(case.pk) in body

    stranger = Browser()
    follow = f"/cases/follow/?number={case.number}&last4=0000"
    statuses = [stranger.request(cluster.url(i % 2, follow))[0] for i in range(5)]  # five misses, on A and on B
    assert statuses == [200] * 5
    assert [stranger.request(cluster.url(i, follow))[0] for i in (0, 1)] == [429, 429]


def test_an_overdue_case_is_swept_once_by_two_workers(cluster, queue, transactional_db, regions):
    browser = Browser()
    _resident("resident-8")
    browser.login(cluster.url(0, "/accounts/login/"), "resident-8", PASSWORD)
    status, _ = browser.request(cluster.url(0, "/api/v1/cases"), json_body={
        "description": "井盖缺失", "lon": IN_GRID_A[0], "lat": IN_GRID_A[1]})
    assert status == 201
    taxonomy.seed_defaults()  # a transactional test database is flushed: seed the units again
    Case.objects.update(state=State.DISPATCHED, unit=HandlingUnit.objects.get(code="city"),
                        deadline=timezone.now() - timedelta(hours=1))  # dispatched, and the time has passed
    sweeps = [sweep_overdue_cases.s() for _ in range(4)]
    for sweep in sweeps:  # as if several schedulers enqueued the sweep: both workers run it at once
        _enqueue(queue, sweep)
    wait_until(lambda: all(_executed(cluster, task) for task in sweeps), time.monotonic() + 30, "the sweeps to run")
    case = Case.objects.get()
    assert case.overdue
    assert AuditEvent.objects.filter(action="cases.escalate", target_id=str(case.pk)).count() == 1
    assert case.events.filter(kind="escalate").count() == 1


@pytest.fixture
def analysis(transactional_db, regions, users):
    seed_categories()
    circle.store_network(actor=None, district_code=DISTRICT, graph=LATTICE, source="test lattice", generated=True)
    make_place(regions["grid_a"], "一号院", (2, 2), 1000)
    lon, lat = node(4, 2)
    circle.create_facility(actor=users["district"], category="kindergarten", name="阳光幼儿园", lon=lon, lat=lat)

    def new_run() -> AnalysisRun:
        return circle.start_run(actor=users["district"], region_code=DISTRICT, category_codes=["kindergarten"],
                                enqueue=False)
    return new_run


class ResultsLocked:
    """Locks the run results table from a second connection: a run's final transaction (which writes its
    results after the run was marked running) waits until release, while audit and lease writes go on."""

    def __enter__(self):
        db = connection.settings_dict
        self.conn = psycopg.connect(dbname=db["NAME"], user=db["USER"], password=db.get("PASSWORD") or None,
                                    host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432)
        self.conn.execute(f"LOCK TABLE {PlaceResult._meta.db_table} IN EXCLUSIVE MODE")
        return self

    def __exit__(self, *exc):
        self.conn.rollback()
        self.conn.close()


def _start_held_run(cluster, queue, run):
    """Enqueue a run and wait until a worker has it in the middle: marked running, lease taken."""
    task = run_analysis.s(run.pk)
    _enqueue(queue, task)
    lease = wait_until(lambda: AnalysisRun.objects.filter(pk=run.pk, status=Status.RUNNING).exists()
                       and TaskLease.objects.filter(task_id=task.id).first(), time.monotonic() + 30, "a worker")
    pid = int(lease.owner.split(":")[1])
    return run, task, cluster.worker_with_pid(pid)


def _wait_done(run, seconds: float) -> None:
    wait_until(lambda: AnalysisRun.objects.get(pk=run.pk).status == Status.DONE, time.monotonic() + seconds,
               f"run {run.pk} to finish")


def test_a_worker_stopped_with_term_finishes_its_task(cluster, queue, analysis):
    run = analysis()
    with ResultsLocked():
        run, _, worker = _start_held_run(cluster, queue, run)
        worker.signal(signal.SIGTERM)
        time.sleep(0.5)
        assert worker.alive()  # waiting for its task, not interrupting it
    assert worker.wait(STOP_SECONDS + 10) == 0
    assert AnalysisRun.objects.get(pk=run.pk).status == Status.DONE
    assert not AuditEvent.objects.filter(action="core.task.requeue").exists()
    cluster.replace_worker(worker)


def test_a_worker_stopped_with_term_hands_back_what_it_cannot_finish(cluster, queue, analysis):
    run = analysis()
    with ResultsLocked():
        run, task, worker = _start_held_run(cluster, queue, run)
        worker.signal(signal.SIGTERM)
        worker.wait(STOP_SECONDS + 10)  # the stop timeout ran out while the task still waited
    _wait_done(run, 90)  # the other worker reopened and finished it
    requeue = AuditEvent.objects.get(action="core.task.requeue", target_id=task.id)
    assert requeue.detail["why"] == "worker stopped"
    assert AuditEvent.objects.filter(action="servicecircle.run.recover", target_id=str(run.pk)).exists()
    cluster.replace_worker(worker)


def test_a_worker_killed_mid_task_loses_nothing_and_periodic_jobs_go_on(cluster, queue, analysis):
    run = analysis()
    with ResultsLocked():
        run, task, worker = _start_held_run(cluster, queue, run)
        worker.signal(signal.SIGKILL)
        worker.wait(10)
    assert AnalysisRun.objects.get(pk=run.pk).status == Status.RUNNING  # left behind by the dead worker
    # the survivor's reaper (a periodic job: the dead worker may have been the one scheduling it) re-queues it
    # once the lease lapses: the survivor's scheduler looks once a minute at its own second, and the dead worker
    # may already have claimed this minute's tick, so up to two minutes
    _wait_done(run, 2 * 60 + LEASE_SECONDS + 30)
    requeue = AuditEvent.objects.get(action="core.task.requeue", target_id=task.id)
    assert requeue.detail["why"] == "worker lost" and requeue.detail["worker"].split(":")[1] == str(worker.pid)
    assert AuditEvent.objects.filter(action="servicecircle.run.recover", target_id=str(run.pk)).exists()
    assert not TaskLease.objects.exists()
    cluster.replace_worker(worker)


def _ticks(cluster) -> list[set]:
    pattern = re.compile(r"(\d{4}-\d\d-\d\d \d\d:\d\d):\d\d.*Enqueueing periodic task (civicgrid\.[\w.]+)")
    return [{(minute, task) for minute, task in pattern.findall(w.text())} for w in cluster.workers]


def _reaper_minutes(ticks: list[set]) -> list[datetime]:
    return sorted(datetime.strptime(minute, "%Y-%m-%d %H:%M") for minute, task in set().union(*ticks)
                  if task.endswith(".reap_lost_tasks"))


def test_each_periodic_tick_ran_once_and_none_was_missed(cluster, transactional_db):
    """Both workers schedule periodic jobs; each tick of a job was enqueued by one worker only, and the every-minute
    reaper missed no minute, also while workers were stopped and killed (when this runs after the tests above)."""
    wait_until(lambda: len(_reaper_minutes(_ticks(cluster))) >= 2, time.monotonic() + 150, "two reaper ticks", 1)
    ticks = _ticks(cluster)
    assert all("Periodic tasks are enabled" in w.text() for w in cluster.workers)
    assert not ticks[0] & ticks[1], "a tick enqueued by both workers"
    minutes = _reaper_minutes(ticks)
    span = int((minutes[-1] - minutes[0]).total_seconds() // 60) + 1
    assert len(minutes) == span, f"the reaper missed a minute: {minutes}"
