"""Points-ledger throughput: transfers per second with 1, 8 and 32 concurrent writer processes on SQLite and
PostgreSQL, each transfer one transaction as the services do it (ledger.post + the hash-chained audit event),
and again without the audit event to measure its share. Afterwards `reconcile` must find nothing wrong.

The SQL statements per transfer (Django's view: SAVEPOINTs counted, BEGIN/COMMIT not) are counted first.

Usage: python bench/ledger.py [--quick] [--backends sqlite,postgres]
Ends with one line: BENCH ledger key=value …
"""

import argparse
import json
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "civicgrid_bench_ledger"
WRITERS = (1, 8, 32)
ACCOUNTS = 200


# --- child side: one backend, all writer counts -------------------------------------------------------------

def _setup_django(data_dir: str) -> None:
    os.environ["CIVICGRID_DATA_DIR"] = data_dir
    os.environ.setdefault("CIVICGRID_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
    os.environ.setdefault("CIVICGRID_DATA_KEYS", "b1:" + "22" * 32)
    os.environ["DJANGO_SETTINGS_MODULE"] = "civicgrid.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _prepare() -> list[int]:
    from django.core.management import call_command

    from civicgrid.volunteering import ledger
    from civicgrid.volunteering.models import Account

    call_command("migrate", verbosity=0)
    ledger.system_account(Account.Kind.ISSUANCE)
    Account.objects.bulk_create([Account(kind=Account.Kind.VOLUNTEER) for _ in range(ACCOUNTS)])
    return list(Account.objects.filter(kind=Account.Kind.VOLUNTEER).values_list("pk", flat=True))


def _one_transfer(rng: random.Random, accounts: list[int], tag: str, n: int, audited: bool) -> None:
    from django.db import transaction

    from civicgrid.core import audit
    from civicgrid.volunteering import ledger
    from civicgrid.volunteering.errors import InsufficientPoints
    from civicgrid.volunteering.models import Account, Transfer

    with transaction.atomic():
        if rng.random() < 0.7:  # earn: issuance → volunteer
            source, kind = ledger.system_account(Account.Kind.ISSUANCE), Transfer.Kind.EARN
            amount = rng.randint(5, 30)
        else:  # donate: volunteer → volunteer (may be refused for lack of points)
            source, kind, amount = Account(pk=rng.choice(accounts), kind="volunteer"), Transfer.Kind.DONATE, 5
        target_id = rng.choice(accounts)
        if target_id == source.pk:
            target_id = accounts[(accounts.index(target_id) + 1) % len(accounts)]
        try:  # a refused post leaves nothing behind, so no savepoint is needed (the services have none either)
            transfer = ledger.post(key=f"bench:{tag}:{n}", kind=kind, source=source,
                                   target=Account(pk=target_id, kind="volunteer"), amount=amount)
        except InsufficientPoints:
            return
        if audited:
            audit.record(actor=None, action="volunteering.bench.transfer", target=transfer)


def _writer(data_dir: str, accounts: list[int], tag: str, seconds: float, audited: bool, start_at: float, queue):
    from django.db import connection

    rng, done, errors = random.Random(tag), 0, 0
    while time.time() < start_at:
        time.sleep(0.001)
    deadline, cpu = start_at + seconds, time.process_time()
    while time.time() < deadline:
        try:
            _one_transfer(rng, accounts, tag, done + errors, audited)
            done += 1
        except Exception as error:  # noqa: BLE001 - counted and reported
            errors += 1
            if errors <= 3:
                print(f"writer {tag}: {type(error).__name__}: {error}", file=sys.stderr)
    connection.close()
    queue.put((done, errors, time.process_time() - cpu))


def _run_writers(data_dir: str, accounts: list[int], writers: int, seconds: float, audited: bool, label: str) -> dict:
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    start_at = time.time() + 0.5 + writers * 0.02
    procs = [context.Process(target=_writer, args=(data_dir, accounts, f"{label}-w{writers}-{i}", seconds, audited,
                                                   start_at, queue)) for i in range(writers)]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    done, errors, cpu = sum(r[0] for r in results), sum(r[1] for r in results), sum(r[2] for r in results)
    return {"writers": writers, "audited": audited, "transfers": done, "errors": errors,
            "per_s": round(done / seconds, 1), "client_cpu_ms": round(1000 * cpu / max(done, 1), 2)}


def _statements_per_transfer(accounts: list[int], audited: bool, n: int = 200) -> float:
    """SQL statements sent per transfer (as Django's cursor sees them: SAVEPOINTs included, BEGIN/COMMIT not)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rng = random.Random(f"count-{audited}")
    with CaptureQueriesContext(connection) as captured:
        for i in range(n):
            _one_transfer(rng, accounts, f"count-{int(audited)}", i, audited)
    return len(captured.captured_queries) / n


def child(backend: str, data_dir: str, seconds: float) -> None:
    _setup_django(data_dir)
    accounts = _prepare()
    from civicgrid.core.audit import chain_count

    statements = {"statements": round(_statements_per_transfer(accounts, True), 2),
                  "statements_noaudit": round(_statements_per_transfer(accounts, False), 2),
                  "chains": chain_count()}
    rows = []
    for writers in WRITERS:
        for audited in (True, False):
            rows.append(_run_writers(data_dir, accounts, writers, seconds, audited, f"{backend}-{int(audited)}"))
    from civicgrid.core.audit import verify
    from civicgrid.volunteering.reconcile import reconcile

    started = time.perf_counter()
    report = reconcile()
    reconcile_s = time.perf_counter() - started
    chain = verify()
    print(json.dumps({"backend": backend, "rows": rows, **statements, "violations": len(report.problems),
                      "problems": report.problems[:5], "transfers_total": report.transfers,
                      "reconcile_s": round(reconcile_s, 2), "audit_chain_ok": chain.ok}))


# --- parent side ---------------------------------------------------------------------------------------------

def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql)


def run_backend(backend: str, seconds: float) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as data_dir:
        if backend == "postgres":
            _pg(f"DROP DATABASE IF EXISTS {PG_DB}")
            _pg(f"CREATE DATABASE {PG_DB}")
            env["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{PG_DB}"
        try:
            out = subprocess.run([sys.executable, __file__, "--child", backend, "--data-dir", data_dir,
                                  "--seconds", str(seconds)], env=env, capture_output=True, text=True, check=False)
        finally:
            if backend == "postgres":
                _pg(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"{backend} run failed")
    if out.stderr.strip():
        sys.stderr.write(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def _table(results: list[dict]) -> None:
    print(f"{'backend':<9} {'writers':>7} {'audited/s':>10} {'no-audit/s':>11} {'audit share':>12} {'errors':>7} "
          f"{'client CPU ms/transfer':>23}")
    for result in results:
        rows = {(r["writers"], r["audited"]): r for r in result["rows"]}
        for writers in WRITERS:
            on, off = rows[(writers, True)], rows[(writers, False)]
            share = 1 - on["per_s"] / off["per_s"] if off["per_s"] else 0
            print(f"{result['backend']:<9} {writers:>7} {on['per_s']:>10.0f} {off['per_s']:>11.0f} {share:>11.0%} "
                  f"{on['errors'] + off['errors']:>7} {on['client_cpu_ms']:>10.2f} / {off['client_cpu_ms']:<10.2f}")
        print(f"{result['backend']}: {result['statements']} SQL statements per audited transfer "
              f"({result['statements_noaudit']} without audit) plus BEGIN/COMMIT; {result['chains']} audit chains")
        print(f"{result['backend']}: {result['transfers_total']} transfers reconciled in {result['reconcile_s']} s, "
              f"{result['violations']} violations, audit chain ok={result['audit_chain_ok']}")


def _summary(results: list[dict]) -> str:
    short = {"sqlite": "sqlite", "postgres": "pg"}
    parts, violations, errors = [], 0, 0
    for result in results:
        name = short[result["backend"]]
        rows = {(r["writers"], r["audited"]): r for r in result["rows"]}
        for writers in WRITERS:
            on, off = rows[(writers, True)], rows[(writers, False)]
            parts.append(f"{name}_w{writers}={on['per_s']:.0f}")
            parts.append(f"{name}_w{writers}_noaudit={off['per_s']:.0f}")
            errors += on["errors"] + off["errors"]
        best = max(rows[(w, True)]["per_s"] for w in WRITERS)
        best_off = max(rows[(w, False)]["per_s"] for w in WRITERS)
        parts.append(f"{name}_best={best:.0f}")
        parts.append(f"{name}_audit_share={1 - best / best_off if best_off else 0:.2f}")
        parts.append(f"{name}_client_cpu_ms={rows[(1, True)]['client_cpu_ms']:.2f}")
        parts.append(f"{name}_statements={result['statements']:.2f}")
        parts.append(f"{name}_chains={result['chains']}")
        violations += result["violations"] + (0 if result["audit_chain_ok"] else 1)
    by_name = {p.split("=")[0]: float(p.split("=")[1]) for p in parts}
    if "pg_best" in by_name and "sqlite_best" in by_name and by_name["sqlite_best"]:
        parts.append(f"pg_vs_sqlite={by_name['pg_best'] / by_name['sqlite_best']:.2f}")
    return "BENCH ledger " + " ".join([*parts, f"errors={errors}", f"violations={violations}"])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--child")
    parser.add_argument("--data-dir")
    parser.add_argument("--seconds", type=float)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.data_dir, args.seconds)
        return 0
    seconds = 2.0 if args.quick else 10.0
    results = [run_backend(backend, seconds) for backend in args.backends.split(",")]
    _table(results)
    print(_summary(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
