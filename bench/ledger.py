"""Points-ledger throughput on the path a request runs: the volunteering services, on SQLite and PostgreSQL.

Each operation is one service call, as the view or API endpoint makes it (one transaction, audited inside):
  earn     `confirm_record` by the team's organizer: locks the record and the volunteer's account (which
           serializes the daily and monthly caps), computes the capped points, posts the earning;
  donate   `donate` of 1 point to an elder resident: the recipient checks (self, family or elder), then the post;
  redeem   `claim` of a 1-point offer (stock, hold) followed by the shop's `confirm_redemption` of its code.
Mix: 60 % earn, 20 % donate, 20 % redeem (two calls). Peer in the same run: `post_only`, the bare
`ledger.post` + `audit.record` in one transaction that this script measured before (no locks beyond the ledger's
own, no checks, no reads of records, offers or residents). `transfers/s` counts committed ledger transfers.

Writers: 1, 8 and 32 processes (`--quick`: 1 and 8), forked after `django.setup()`. For every writer count the two
configurations alternate, each run `--repeats` times (default 3) for `--seconds` (default 10, `--quick` 2); the
table and the summary line give the median with min–max. `transfers/s` is what the database holds afterwards: the
ledger transfers committed during the run, counted in the `Transfer` table (a confirmation capped to 0 points
posts none). Before the runs, on a fresh database: 200 verified volunteers (100,000 points each), 20 elders, one
team, one partner shop with one offer of 1 point and 1,000,000 items, all through the services, and pending
service records of 60 minutes spread over the last year (bulk-created; 120,000, or 36,000 with `--quick`), so
that the daily and monthly caps rarely bite. They are shared out evenly between the services runs; `starved`
counts the earn operations that found their writer's share used up (they became a donation or redemption).
Afterwards `reconcile` and the audit chain check must find nothing wrong. `--quick` loads the same scene with fewer
pending records and runs 1 and 8 writers for 2 s each.

First, in one process, each configuration runs 100 operations `--repeats` times, alternating: the CPU milliseconds
per committed transfer of the Python process and of its PostgreSQL backend (read from /proc when the server is on
this machine; SQLite runs inside the process), and the statements per transfer. These hardly depend on other load,
and 2,000 divided by their sum is what two cores could do at best.

`--code DIR` runs the services of another checkout of civicgrid (the scene and the measured calls are this
script's): alternate it with this checkout to compare a change with its base in one session.

Usage: python bench/ledger.py [--quick] [--backends sqlite,postgres] [--seconds S] [--repeats N] [--code DIR]
Ends with one line: BENCH ledger key=value …
"""

import argparse
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "civicgrid_bench_ledger"
VOLUNTEERS, ELDERS = 200, 20
DISTRICT, COMMUNITY, GRID = "110107", "110107001003", "110107001003001"
CONFIGS = ("services", "post_only")
COST_OPERATIONS = 100


# --- child side: one backend ---------------------------------------------------------------------------------

def _setup_django(data_dir: str, code: str) -> None:
    os.environ["CIVICGRID_DATA_DIR"] = data_dir
    os.environ.setdefault("CIVICGRID_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
    os.environ.setdefault("CIVICGRID_DATA_KEYS", "b1:" + "22" * 32)
    os.environ["DJANGO_SETTINGS_MODULE"] = "civicgrid.settings"
    sys.path.insert(0, code)
    import django

    django.setup()


def _id_number(seq: int, born: date) -> str:
    from civicgrid.core.personal import id_check_digit

    first17 = f"110107{born:%Y%m%d}{seq % 1000:03d}"
    return first17 + id_check_digit(first17)


def _square(lon: float, lat: float, size: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size],
                                                [lon, lat + size], [lon, lat]]]}


def _user(username: str, role: str, region_code: str = ""):
    from civicgrid.accounts.models import User

    return User.objects.create(username=username, role=role, region_code=region_code)


def _prepare(records: int) -> dict:
    """The scene, through the services; returns ids the writers use."""
    from django.core.management import call_command
    from django.utils import timezone

    from civicgrid.accounts.models import Role
    from civicgrid.people import services as people
    from civicgrid.territory.models import Level, Place, PlaceKind, Region
    from civicgrid.volunteering import ledger, services
    from civicgrid.volunteering.models import Account, ServiceRecord, Transfer

    call_command("migrate", verbosity=0)
    district = Region.objects.create(code=DISTRICT, name="石景山区", level=Level.DISTRICT,
                                     boundary=_square(116.10, 39.88, 0.2))
    sub = Region.objects.create(code=COMMUNITY[:9], name="街道", level=Level.SUBDISTRICT, parent=district,
                                boundary=_square(116.15, 39.90, 0.04))
    comm = Region.objects.create(code=COMMUNITY, name="社区", level=Level.COMMUNITY, parent=sub,
                                 boundary=_square(116.15, 39.90, 0.02))
    grid = Region.objects.create(code=GRID, name="网格", level=Level.GRID, parent=comm,
                                 boundary=_square(116.15, 39.90, 0.01))
    office = _user("district-110107", Role.DISTRICT, DISTRICT)
    organizer = _user(f"community-{COMMUNITY}", Role.COMMUNITY, COMMUNITY)
    place = Place(name="阳光小区", kind=PlaceKind.COMMODITY_HOUSING, grid=grid, lon=116.155, lat=39.905, population=500)
    place.save()
    elders = [people.register_resident(actor=office, place=place, unit_label=f"{i + 1}号楼101室", name=f"老人{i}",
                                       id_number=_id_number(800 + i, date(1940, 1, 2)), groups=["empty_nest"]).pk
              for i in range(ELDERS)]
    team = services.create_team(actor=organizer, name="阳光志愿队", region_code=COMMUNITY)
    volunteers = []
    for i in range(VOLUNTEERS):
        user = _user(f"vol-{i}", Role.RESIDENT)
        volunteer = services.register_volunteer(actor=user, name=f"志愿者{i}", phone=f"138{i:08d}", consent=True,
                                                id_number=_id_number(i, date(1985, 3, 9)), region_code=COMMUNITY)
        services.verify_volunteer(actor=organizer, volunteer_id=volunteer.pk)
        volunteers.append((volunteer.pk, user.pk))
    from django.db import transaction

    with transaction.atomic():  # a starting balance for donations and redemptions (setup, not measured)
        for pk, _ in volunteers:
            ledger.post(key=f"bench:start:{pk}", kind=Transfer.Kind.EARN, target=Account.objects.get(volunteer_id=pk),
                        source=ledger.system_account(Account.Kind.ISSUANCE), amount=100_000)
    shop_user = _user("shop-01", Role.PARTNER_SHOP, DISTRICT)
    services.register_shop(actor=organizer, username=shop_user.username, name="便民超市", region_code=COMMUNITY)
    today = timezone.localdate()
    offer = services.create_offer(actor=shop_user, title="早餐券", points=1, stock=1_000_000,
                                  valid_from=today - timedelta(days=1), valid_until=today + timedelta(days=30))
    rng = random.Random(2026)
    pending = []
    for n in range(records):
        day = today - timedelta(days=rng.randrange(365))
        start = timezone.make_aware(datetime(day.year, day.month, day.day, 9))
        pending.append(ServiceRecord(volunteer_id=rng.choice(volunteers)[0], team=team, region_code=COMMUNITY,
                                     service_date=day, started_at=start, ended_at=start + timedelta(minutes=60),
                                     content=f"探访空巢老人 {n}", minutes=60, created_by=organizer))
    ServiceRecord.objects.bulk_create(pending, batch_size=2000)
    record_ids = list(ServiceRecord.objects.filter(status=ServiceRecord.Status.PENDING).order_by("pk")
                      .values_list("pk", flat=True))
    accounts = list(Account.objects.filter(kind=Account.Kind.VOLUNTEER).values_list("pk", flat=True))
    return {"volunteers": volunteers, "elders": elders, "offer": offer.pk, "organizer": organizer.pk,
            "shop_user": shop_user.pk, "records": record_ids, "accounts": accounts}


class ServicePath:
    """One request's worth of service calls, chosen at random."""

    def __init__(self, scene: dict, records: list[int], tag: str):
        from civicgrid.accounts.models import User

        self.users = {u.pk: u for u in User.objects.all()}
        self.scene, self.records, self.tag, self.n, self.starved = scene, records, tag, 0, 0
        self.organizer, self.shop = self.users[scene["organizer"]], self.users[scene["shop_user"]]

    def __call__(self, rng: random.Random) -> None:
        """Runs one operation."""
        from civicgrid.volunteering import services

        self.n += 1
        roll = rng.random()
        if roll < 0.6:
            if self.records:
                services.confirm_record(actor=self.organizer, record_id=self.records.pop())
                return
            self.starved += 1
        _volunteer, user_pk = rng.choice(self.scene["volunteers"])
        volunteer_user = self.users[user_pk]
        if roll < 0.8:
            services.donate(actor=volunteer_user, key=f"{self.tag}-{self.n}", amount=1,
                            resident_id=rng.choice(self.scene["elders"]))
            return
        redemption = services.claim(actor=volunteer_user, offer_id=self.scene["offer"], key=f"{self.tag}-{self.n}")
        services.confirm_redemption(actor=self.shop, code=redemption.code)


class PostOnly:
    """The peer: ledger.post and the audit event, nothing a request checks or locks besides."""

    def __init__(self, scene: dict, records: list[int], tag: str):
        self.accounts, self.tag, self.n, self.starved = scene["accounts"], tag, 0, 0

    def __call__(self, rng: random.Random) -> None:
        from django.db import transaction

        from civicgrid.core import audit
        from civicgrid.volunteering import ledger
        from civicgrid.volunteering.models import Account, Transfer

        self.n += 1
        source_pk, target_pk = rng.sample(self.accounts, 2)
        with transaction.atomic():
            if rng.random() < 0.6:
                source, kind = ledger.system_account(Account.Kind.ISSUANCE), Transfer.Kind.EARN
            else:
                source, kind = Account(pk=source_pk, kind="volunteer"), Transfer.Kind.DONATE
            transfer = ledger.post(key=f"bench:{self.tag}:{self.n}", kind=kind, source=source,
                                   target=Account(pk=target_pk, kind="volunteer"), amount=1)
            audit.record(actor=None, action="volunteering.bench.transfer", target=transfer)


PATHS = {"services": ServicePath, "post_only": PostOnly}


def _writer(config: str, scene: dict, records: list[int], tag: str, seconds: float, start_at: float, queue):
    from django.db import connection

    operation, rng = PATHS[config](scene, records, tag), random.Random(tag)
    ops = errors = 0
    while time.time() < start_at:
        time.sleep(0.001)
    deadline = start_at + seconds
    while time.time() < deadline:
        try:
            operation(rng)
            ops += 1
        except Exception as error:  # noqa: BLE001 - counted and reported
            errors += 1
            if errors <= 3:
                print(f"writer {tag}: {type(error).__name__}: {error}", file=sys.stderr)
    connection.close()
    queue.put((ops, operation.starved, errors))


def _run(config: str, scene: dict, records: list[int], writers: int, seconds: float, tag: str) -> dict:
    from django.db import connections

    from civicgrid.volunteering.models import Transfer

    before = Transfer.objects.count()
    connections.close_all()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    start_at = time.time() + 0.5 + writers * 0.02
    share = len(records) // writers
    procs = [context.Process(target=_writer, args=(config, scene, records[i * share:(i + 1) * share],
                                                   f"{tag}-{i}", seconds, start_at, queue)) for i in range(writers)]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    ops, starved, errors = (sum(r[k] for r in results) for k in range(3))
    transfers = Transfer.objects.count() - before  # committed, as the database holds them
    connections.close_all()
    return {"ops_per_s": ops / seconds, "per_s": transfers / seconds, "errors": errors, "starved": starved}


def _backend_cpu():
    """A reader of the CPU seconds of this connection's PostgreSQL backend (when the server runs on this machine),
    or of nothing (SQLite runs inside this process)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    if not stat.exists():
        return lambda: float("nan")

    def read() -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return read


def _cost(config: str, scene: dict, records: list[int], operations: int, tag: str) -> dict:
    """One process, `operations` calls: CPU milliseconds per committed transfer of this process (Django, the
    services) and of its database backend, and statements per transfer (BEGIN and COMMIT not counted). Unlike
    transfers/s, these hardly depend on what else the machine runs."""
    from django.db import connection

    from civicgrid.volunteering.models import Transfer

    operation, rng, statements = PATHS[config](scene, records, tag), random.Random(tag), [0]

    def count(execute, sql, params, many, context):
        statements[0] += 1
        return execute(sql, params, many, context)

    before, backend_cpu = Transfer.objects.count(), _backend_cpu()
    server, client = backend_cpu(), time.process_time()
    with connection.execute_wrapper(count):
        for _ in range(operations):
            operation(rng)
    client, server = time.process_time() - client, backend_cpu() - server
    transfers = max(1, Transfer.objects.count() - before)
    return {"client_ms": 1000 * client / transfers, "server_ms": 1000 * server / transfers,
            "statements": statements[0] / transfers}


def child(backend: str, data_dir: str, seconds: float, repeats: int, writer_counts: list[int], records: int,
          code: str) -> None:
    _setup_django(data_dir, code)
    from civicgrid.core.audit import chain_count, verify
    from civicgrid.volunteering.reconcile import reconcile

    scene = _prepare(records)
    pool = list(scene["records"])
    costs: dict = {}
    for repeat in range(repeats):  # CPU per transfer, one process, alternating
        for config in CONFIGS:
            records = [pool.pop() for _ in range(COST_OPERATIONS)] if config == "services" else []
            costs.setdefault(config, []).append(_cost(config, scene, records, COST_OPERATIONS,
                                                      f"{backend}-cost-{config}-r{repeat}"))
    share = len(pool) // (len(writer_counts) * repeats)  # the same for every services run
    runs: dict = {}
    for writers in writer_counts:
        for repeat in range(repeats):
            for config in CONFIGS:  # alternate, so that drift of the machine hits both alike
                records = [pool.pop() for _ in range(share)] if config == "services" else []
                result = _run(config, scene, records, writers, seconds, f"{backend}-{config}-w{writers}-r{repeat}")
                runs.setdefault(f"{config}_w{writers}", []).append(result)
    report, chain = reconcile(), verify()
    print(json.dumps({"backend": backend, "runs": runs, "costs": costs, "chains": chain_count(),
                      "violations": len(report.problems), "problems": report.problems[:5],
                      "transfers_total": report.transfers,
                      "audit_chain_ok": chain.ok}))


# --- parent side ---------------------------------------------------------------------------------------------

def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql)


def run_backend(backend: str, seconds: float, repeats: int, writer_counts: list[int], records: int,
                code: str) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as data_dir:
        if backend == "postgres":
            _pg(f"DROP DATABASE IF EXISTS {PG_DB}")
            _pg(f"CREATE DATABASE {PG_DB}")
            env["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{PG_DB}"
        try:
            out = subprocess.run([sys.executable, __file__, "--child", backend, "--data-dir", data_dir,
                                  "--seconds", str(seconds), "--repeats", str(repeats), "--records", str(records),
                                  "--code", code, "--writers", ",".join(map(str, writer_counts))],
                                 env=env, capture_output=True, text=True, check=False)
        finally:
            if backend == "postgres":
                _pg(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"{backend} run failed")
    if out.stderr.strip():
        sys.stderr.write(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def _median(runs: list[dict], key: str = "per_s") -> tuple[float, float, float]:
    values = [r[key] for r in runs]
    return statistics.median(values), min(values), max(values)


def _table(results: list[dict], writer_counts: list[int]) -> None:
    print(f"{'backend':<9} {'writers':>7} {'config':<10} {'transfers/s median (min–max)':>30} {'requests/s':>11} "
          f"{'errors':>6} {'starved':>7}")
    for result in results:
        for writers in writer_counts:
            for config in CONFIGS:
                runs = result["runs"][f"{config}_w{writers}"]
                med, low, high = _median(runs)
                print(f"{result['backend']:<9} {writers:>7} {config:<10} {f'{med:.0f} ({low:.0f}–{high:.0f})':>30} "
                      f"{_median(runs, 'ops_per_s')[0]:>11.0f} {sum(r['errors'] for r in runs):>6} "
                      f"{sum(r.get('starved', 0) for r in runs):>7}")
        for config in CONFIGS:
            costs = result["costs"][config]
            client, server = _median(costs, "client_ms"), _median(costs, "server_ms")
            print(f"{result['backend']:<9} {config:<10} CPU per transfer: {client[0]:.1f} ms Python "
                  f"({client[1]:.1f}–{client[2]:.1f}) + {server[0]:.1f} ms database ({server[1]:.1f}–{server[2]:.1f}), "
                  f"{_median(costs, 'statements')[0]:.1f} statements")
        print(f"{result['backend']}: {result['transfers_total']} transfers reconciled, {result['violations']} "
              f"violations, audit chain ok={result['audit_chain_ok']}, {result['chains']} audit chains")


def _summary(results: list[dict], writer_counts: list[int]) -> str:
    short = {"sqlite": "sqlite", "postgres": "pg"}
    parts, violations, errors, starved = [], 0, 0, 0
    for result in results:
        name, best = short[result["backend"]], {}
        for writers in writer_counts:
            for config in CONFIGS:
                runs = result["runs"][f"{config}_w{writers}"]
                med, low, high = _median(runs)
                label = f"{name}_w{writers}" + ("" if config == "services" else "_post_only")
                parts += [f"{label}={med:.0f}", f"{label}_min={low:.0f}", f"{label}_max={high:.0f}"]
                best[config] = max(best.get(config, 0), med)
                errors += sum(r["errors"] for r in runs)
                starved += sum(r.get("starved", 0) for r in runs)
        for config in CONFIGS:
            costs, label = result["costs"][config], name + ("" if config == "services" else "_post_only")
            cpu = statistics.median(c["client_ms"] + c["server_ms"] for c in costs)
            parts += [f"{label}_cpu_ms={cpu:.1f}", f"{label}_statements={_median(costs, 'statements')[0]:.1f}"]
        parts.append(f"{name}_best={best['services']:.0f}")
        parts.append(f"{name}_services_vs_post_only={best['services'] / best['post_only']:.2f}")
        violations += result["violations"] + (0 if result["audit_chain_ok"] else 1)
    return "BENCH ledger " + " ".join([*parts, f"errors={errors}", f"starved={starved}", f"violations={violations}"])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child")
    parser.add_argument("--data-dir")
    parser.add_argument("--writers")
    parser.add_argument("--records", type=int)
    parser.add_argument("--code", default=str(ROOT), help="the civicgrid checkout whose services run")
    args = parser.parse_args()
    code = str(Path(args.code).resolve())
    if args.child:
        child(args.child, args.data_dir, args.seconds, args.repeats, [int(w) for w in args.writers.split(",")],
              args.records, code)
        return 0
    seconds = args.seconds or (2.0 if args.quick else 10.0)
    writer_counts = [1, 8] if args.quick else [1, 8, 32]
    records = 36_000 if args.quick else 120_000
    if code != str(ROOT):
        print(f"services of {code}")
    results = [run_backend(backend, seconds, args.repeats, writer_counts, records, code)
               for backend in args.backends.split(",")]
    _table(results, writer_counts)
    print(_summary(results, writer_counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
