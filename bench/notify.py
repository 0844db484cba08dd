"""Notification fan-out and delivery: N events published by services-style transactions (100 events each, as a
sweep publishes them), each to 1–3 grid workers (the overdue-case kind: inbox + SMS), delivered through the
file adapter by real huey workers (`run_huey -w 2 -k process`), and counted against what the outbox file holds.

Peers in the same run: the file adapter called directly in a loop (no outbox, no queue: the floor of the
adapter's own cost). Runs alternate: outbox, direct, outbox, direct …; the last outbox run SIGKILLs the
workers halfway through publishing and starts new ones (claims left behind expire after a 3 s lease).

Usage: python bench/notify.py [--quick] [--events N] [--runs R]
Ends with one line: BENCH notify key=value …
"""

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
USERS = 2000
BATCH = 100
LEASE_SECONDS = 3
KIND = "cases.overdue"  # a registered kind the workers know: urgent, inbox + SMS (+ e-mail, which these users lack)


def _setup_django(data_dir: str) -> None:
    os.environ["CIVICGRID_DATA_DIR"] = data_dir
    os.environ.setdefault("CIVICGRID_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
    os.environ.setdefault("CIVICGRID_DATA_KEYS", "b1:" + "22" * 32)
    os.environ["CIVICGRID_NOTIFY_LEASE_SECONDS"] = str(LEASE_SECONDS)
    os.environ["CIVICGRID_NOTIFY_SMS_PER_DAY"] = "1000000"
    os.environ["DJANGO_SETTINGS_MODULE"] = "civicgrid.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _prepare() -> list[int]:
    from django.core.management import call_command

    from civicgrid.accounts.models import User
    from civicgrid.core.encrypted import seal
    from civicgrid.notifications.models import Contact

    call_command("migrate", verbosity=0)
    # grid workers: the overdue-case kind (urgent, inbox + SMS) is for staff
    User.objects.bulk_create([User(username=f"bench-{i}", role="grid", region_code="110107001003001")
                              for i in range(USERS)])
    contacts = []
    for user_id in User.objects.values_list("pk", flat=True):
        contact = Contact(user_id=user_id, phone_masked="138****0000", digest="immediately")
        seal(contact, "phone", f"138{user_id:08d}")
        contacts.append(contact)
    Contact.objects.bulk_create(contacts)
    return list(User.objects.values_list("pk", flat=True))


def _start_workers(env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "civicgrid.cli", "run_huey", "-w", "2", "-k", "process", "-n"],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def _stop(workers: subprocess.Popen, sig=signal.SIGTERM) -> None:
    os.killpg(workers.pid, sig)
    workers.wait()


def _pending() -> int:
    from civicgrid.notifications.models import Message

    return Message.objects.filter(status__in=["queued", "sending"]).count()


def _wait_for_claims(seconds: float = 10) -> None:
    """Kill when the workers hold claimed messages, so the kill lands mid-send."""
    from civicgrid.notifications.models import Message

    deadline = time.perf_counter() + seconds
    while not Message.objects.filter(status="sending").exists() and time.perf_counter() < deadline:
        time.sleep(0.001)


def _outbox_run(tag: str, events: int, users: list[int], env: dict, kill: bool) -> dict:
    from django.db import transaction

    from civicgrid.notifications import Recipient, publish
    from civicgrid.notifications.models import Message

    rng, workers, planned, held_by_dead = random.Random(tag), _start_workers(env), 0, 0
    start = time.perf_counter()
    for first in range(0, events, BATCH):
        with transaction.atomic():
            for n in range(first, min(events, first + BATCH)):
                recipients = [Recipient.user(u) for u in rng.sample(users, rng.randint(1, 3))]
                planned += publish(kind=KIND, key=f"{tag}:{n}", recipients=recipients, params={"number": n})
        if kill and first == (events // 2) // BATCH * BATCH:
            _wait_for_claims()
            _stop(workers, signal.SIGKILL)  # workers die mid-send; new ones take over
            held_by_dead = Message.objects.filter(status="sending").count()
            workers = _start_workers(env)
    published = time.perf_counter() - start
    if kill:
        time.sleep(LEASE_SECONDS + 1)
        with transaction.atomic():
            from civicgrid.notifications.services import _deliver_after_commit

            _deliver_after_commit()  # a task to recover what the killed workers held (the periodic job's work)
    while _pending():
        time.sleep(0.2)
    drained = time.perf_counter() - start
    _stop(workers)
    messages = Message.objects.filter(event_key__startswith=f"{tag}:").count()
    return {"published_s": published, "total_s": drained, "events": events, "messages": messages,
            "entries": planned, "failed": Message.objects.filter(status="failed").count(), "held_by_dead": held_by_dead}


def _direct_run(messages: int, data_dir: str) -> float:
    """The file adapter alone, on in-memory messages: what sending costs without the outbox and the queue."""
    from civicgrid.notifications.adapters.files import FileAdapter
    from civicgrid.notifications.content import Content
    from civicgrid.notifications.models import Message

    adapter, content = FileAdapter(), Content(subject="bench", text="压测")
    path = Path(data_dir) / "outbox.log"
    kept = path.read_bytes() if path.exists() else b""
    start = time.perf_counter()
    for n in range(messages):
        adapter.send(Message(key=f"direct-{n:064d}"[:64], channel="sms", kind=KIND,
                             recipient_masked="138****0000"), "13800000000", content)
    elapsed = time.perf_counter() - start
    path.write_bytes(kept)  # the direct peer's lines are not part of the loss/duplicate count
    return elapsed


def _count_outbox(data_dir: str) -> tuple[int, int]:
    from civicgrid.notifications.models import Message

    keys = Counter(json.loads(line)["key"] for line in (Path(data_dir) / "outbox.log").read_text().splitlines())
    expected = set(Message.objects.filter(kind=KIND).values_list("key", flat=True))
    lost = len(expected - set(keys))
    duplicates = sum(count - 1 for count in keys.values() if count > 1)
    return lost, duplicates


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--events", type=int)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    events = args.events or (3000 if args.quick else 100_000)
    data_dir = tempfile.mkdtemp(prefix="civicgrid-bench-notify-")
    _setup_django(data_dir)
    users = _prepare()
    env = dict(os.environ)
    outbox, direct = [], []
    per_run = max(BATCH, events // args.runs)
    for run in range(args.runs):
        result = _outbox_run(f"r{run}", per_run, users, env, kill=run == args.runs - 1)
        outbox.append(result)
        direct.append(result["messages"] / _direct_run(result["messages"], data_dir))
        print(f"run {run}: {result['events']} events, {result['messages']} messages, published in "
              f"{result['published_s']:.1f} s, all sent after {result['total_s']:.1f} s"
              + (f" (workers SIGKILLed halfway, holding {result['held_by_dead']} claimed messages)"
                 if run == args.runs - 1 else ""), flush=True)
    lost, duplicates = _count_outbox(data_dir)
    shutil.rmtree(data_dir, ignore_errors=True)
    ev = [r["events"] / r["published_s"] for r in outbox]
    ms = [r["messages"] / r["total_s"] for r in outbox]
    total_events = sum(r["events"] for r in outbox)
    print(f"events/s published: median {statistics.median(ev):.0f} (min {min(ev):.0f}, max {max(ev):.0f})")
    print(f"messages/s delivered by huey (2 workers): median {statistics.median(ms):.0f} "
          f"(min {min(ms):.0f}, max {max(ms):.0f}); direct file adapter {statistics.median(direct):.0f}/s")
    print(f"BENCH notify events={total_events} messages={sum(r['messages'] for r in outbox)} "
          f"events_per_s={statistics.median(ev):.0f} messages_per_s={statistics.median(ms):.0f} "
          f"direct_per_s={statistics.median(direct):.0f} "
          f"outbox_vs_direct={statistics.median(ms) / statistics.median(direct):.3f} "
          f"dead_letters={sum(r['failed'] for r in outbox)} killed_holding={outbox[-1]['held_by_dead']} "
          f"lost={lost} duplicates={duplicates}")
    return 0 if lost == duplicates == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
