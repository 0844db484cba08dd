"""Open311 load and statistics at district scale, on SQLite and PostgreSQL.

For each backend: a fresh database (SQLite WAL file in a temporary data dir; PostgreSQL database
`civicgrid_bench_cases`, or the one named in DATABASE_URL, on 127.0.0.1:5432 as user `postgres`, created and
dropped here), migrated, seeded with a
generated district of 450 grids and an Open311 api_key. gunicorn (2 workers × 4 threads, gthread,
`--worker-connections 16` so that both workers share the 32 kept-alive connections, `--no-control-socket`) serves
it; wrk (or Python keep-alive clients) drive five phases:
  1. POST requests.json for a fixed time (creations/s, p50/p99, errors),
  2. POST again with the audit event switched off in the workers (gunicorn post_worker_init hook), its share,
  3. GET requests/{id}.json of published cases (the first round's creations, published once before the reads),
  4. GET requests.json?service_request_id= 100 of those ids,
  5. GET requests.json without arguments (the default page).
Every phase also gives the queries per request (counted in the workers by a database execute wrapper, warm-up of
the same mix included) and the CPU milliseconds per request of the gunicorn master and workers plus the PostgreSQL
backends of the bench database (from /proc; the client's CPU and PostgreSQL's shared background processes are not
counted). The phases run `--repeats` rounds (default 3), alternating (the audited and the unaudited POST phases
swap every round and the read phases rotate), each on a fresh gunicorn after 2 s of unmeasured warm-up; the table
and the summary give the median with min–max over the rounds. `--code DIR` serves another checkout of civicgrid
(e.g. a worktree of main) with this same script, to compare versions.
Every acknowledged service_request_id must then be in the database (`lost`). Last, 1,000,000 cases over one year
are bulk-loaded (PostgreSQL COPY, SQLite executemany), the daily rollup is rebuilt, and the statistics are timed
(best of 3): the query for a district-wide year with and without the rollup, and the statistics page (rendered
through Django's full stack with a signed-in district user) for 30 and 365 days (`--cases 0` skips this part).

`--quick` loads the same district (450 grids) and drives the same 32 clients, but for 3 s per phase instead of
20 s, and bulk-loads 40,000 cases instead of 1,000,000 for the statistics; `--repeats` still defaults to 3.

Usage: python bench/cases_load.py [--quick] [--backends sqlite,postgres] [--clients 32] [--seconds 20] [--repeats 3]
       [--cases N] [--worker-connections 16] [--code DIR]
Ends with one line: BENCH cases_load key=value …
"""

import argparse
import http.client
import json
import multiprocessing
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

# --code DIR serves another checkout of civicgrid (e.g. a worktree of main, to compare); children inherit it
ROOT = Path(os.environ.get("BENCH_CODE") or Path(__file__).resolve().parents[1])
PYTHON = sys.executable
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
# the bench database: the name in DATABASE_URL when one is set (e.g. one per engineer on a shared machine)
# (taken out of the environment: the SQLite runs and their servers must not inherit it)
_GIVEN_URL = os.environ.pop("DATABASE_URL", "")
PG_DB = _GIVEN_URL.rsplit("/", 1)[-1].split("?")[0] or "civicgrid_bench_cases"
DISTRICT = "110107"
SUBS, COMMS, GRIDS = 9, 10, 5
CELL = 0.006
ORIGIN = (116.10, 39.86)
COLUMNS = 30
WARMUP_SECONDS = 2
SERVICES = ("0101", "0104", "0403", "0901", "1001")
GUNICORN_HOOK = """
import json, os, threading
COUNTS = {"queries": 0, "requests": 0}
LOCK = threading.Lock()

def post_worker_init(worker):
    if os.environ.get("BENCH_NO_AUDIT") == "1":
        from civicgrid.cases.services import intake
        class _NoAudit:  # record (older code), or event_for + append
            @staticmethod
            def record(**kwargs):
                return None

            @staticmethod
            def event_for(**kwargs):
                return type("Event", (), {})()

            @staticmethod
            def append(event):
                return None
        intake.audit = _NoAudit
    from django.core.signals import request_finished
    from django.db.backends.signals import connection_created

    def count_query(execute, sql, params, many, context):
        with LOCK:
            COUNTS["queries"] += 1
        return execute(sql, params, many, context)

    def wrap(sender, connection, **kwargs):
        if count_query not in connection.execute_wrappers:  # the wrapper object outlives its connections
            connection.execute_wrappers.append(count_query)

    def count_request(**kwargs):
        with LOCK:
            COUNTS["requests"] += 1

    connection_created.connect(wrap, weak=False)
    request_finished.connect(count_request, weak=False)

def worker_exit(server, worker):
    path = os.path.join(os.environ["CIVICGRID_DATA_DIR"], f"queries-{os.getpid()}.json")
    with open(path, "w") as out:
        json.dump(COUNTS, out)
"""
READ_PHASES = ("get_one", "get_list100", "get_default")
PHASES = ("post", "post_noaudit", *READ_PHASES)


# --- child side: Django in its own process ----------------------------------------------------------------

def _django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _cells():
    for k in range(SUBS * COMMS * GRIDS):
        sub, comm, grid = k // (COMMS * GRIDS), (k // GRIDS) % COMMS, k % GRIDS
        lon, lat = ORIGIN[0] + (k % COLUMNS) * CELL, ORIGIN[1] + (k // COLUMNS) * CELL
        yield f"{DISTRICT}{sub + 1:03d}", f"{DISTRICT}{sub + 1:03d}{comm + 1:03d}", \
            f"{DISTRICT}{sub + 1:03d}{comm + 1:03d}{grid + 1:03d}", lon, lat


def _square(lon, lat, size):
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size],
                                                [lon, lat + size], [lon, lat]]]}


def child_setup() -> dict:
    from django.core.management import call_command

    from civicgrid.accounts.models import Role, User
    from civicgrid.cases.models import HandlingUnit
    from civicgrid.cases.services import issue_open311_key
    from civicgrid.territory.models import Level, Region

    call_command("migrate", verbosity=0)
    district = Region.objects.create(code=DISTRICT, name="石景山区", level=Level.DISTRICT)
    made: dict[str, Region] = {}
    for sub, comm, grid, lon, lat in _cells():
        if sub not in made:
            made[sub] = Region.objects.create(code=sub, name=f"街道{sub[-3:]}", level=Level.SUBDISTRICT,
                                              parent=district)
        if comm not in made:
            made[comm] = Region.objects.create(code=comm, name=f"社区{comm[-6:]}", level=Level.COMMUNITY,
                                               parent=made[sub])
        Region.objects.create(code=grid, name=f"网格{grid[-9:]}", level=Level.GRID, parent=made[comm],
                              boundary=_square(lon, lat, CELL), center_lon=lon + CELL / 2, center_lat=lat + CELL / 2)
    User.objects.create(username="bench-district", role=Role.DISTRICT, region_code=DISTRICT)
    unit_user = User.objects.create(username="bench-unit", role=Role.HANDLING_UNIT, region_code=DISTRICT)
    HandlingUnit.objects.get(code="city").members.add(unit_user)
    return {"key": issue_open311_key(actor=None, name="bench")[1]}


def child_verify(ids_file: str) -> dict:
    from civicgrid.cases.models import Case, pk_from_number

    numbers = json.loads(Path(ids_file).read_text())
    pks = [pk_from_number(n) for n in numbers]
    found = 0
    for start in range(0, len(pks), 5000):
        found += Case.objects.filter(pk__in=pks[start:start + 5000]).count()
    return {"acknowledged": len(pks), "found": found, "lost": len(set(pks)) - found, "total": Case.objects.count()}


def child_publish(ids_file: str) -> dict:
    """The read phases read published cases (Open311 shows no other): publish the first round's creations, as a
    moderator would, in one statement (bench data, not a workflow)."""
    from civicgrid.cases.models import Case, Publication, pk_from_number

    pks = [pk_from_number(n) for n in json.loads(Path(ids_file).read_text())]
    published = 0
    for start in range(0, len(pks), 5000):
        published += Case.objects.filter(pk__in=pks[start:start + 5000]).update(
            publication=Publication.PUBLISHED, public_description="负载测试：路边垃圾需要清运")
    return {"published": published}


def _bulk_rows(count: int, seed: int):
    """Cases over the last 365 days in every state, with consistent timestamps (see RATES.md)."""

    from django.utils import timezone

    from civicgrid.cases.models import Category, HandlingUnit

    categories = list(Category.objects.filter(parent__isnull=False).values_list("pk", "parent_id"))
    units = list(HandlingUnit.objects.values_list("pk", flat=True))
    return _generate(count, random.Random(seed), categories, units, timezone.now())


def _generate(count, rng, categories, units, now):
    """Rows as plain tuples; no database access here (it runs inside COPY on the same connection)."""
    from datetime import timedelta

    from django.utils import timezone

    cells = list(_cells())
    cap = now - timedelta(minutes=10)  # nothing in the future, nothing "just changed" for the rollup
    states = ["closed"] * 70 + ["handling"] * 8 + ["dispatched"] * 6 + ["replied"] * 4 + ["registered"] * 4 + \
        ["reported"] * 4 + ["rejected"] * 2 + ["void"] * 2
    for _ in range(count):
        _sub, _comm, grid, lon, lat = rng.choice(cells)
        category, top = rng.choice(categories)
        state = rng.choice(states)
        reported = now - timedelta(seconds=rng.uniform(3600, 365 * 86400))
        dispatched = reported + timedelta(hours=rng.uniform(0.5, 6)) if state not in (
            "reported", "registered", "rejected", "void") else None
        unit = rng.choice(units) if dispatched else None
        responded = dispatched + timedelta(hours=rng.uniform(0.1, 3)) if dispatched and state != "dispatched" else None
        deadline = dispatched + timedelta(days=rng.choice((1, 3, 5))) if dispatched else None
        closed = dispatched + timedelta(hours=rng.uniform(4, 200)) if state == "closed" else None
        rated = closed if closed and rng.random() < 0.7 else None
        satisfaction = rng.choices(("satisfied", "basic", "unsatisfied"), (70, 20, 10))[0] if rated else ""
        dispatched, responded, closed, rated = (min(t, cap) if t else None
                                                for t in (dispatched, responded, closed, rated))
        yield (state, "hotline", category, top, "批量导入的历史案件", lon + rng.uniform(0, CELL),
               lat + rng.uniform(0, CELL), "", grid, "", "", "", "", "{}", "", bool(rng.random() < 0.03), unit,
               reported,
               timezone.localtime(reported).date(), reported if state != "reported" else None, dispatched, dispatched,
               dispatched + timedelta(hours=2) if dispatched else None, responded, deadline, closed, closed,
               False, int(closed is not None and rng.random() < 0.06), 0, "",
               (satisfaction != "unsatisfied") if rated else None, satisfaction, rated,
               closed or dispatched or reported)


BULK_COLUMNS = ("state", "channel", "category_id", "category_top_id", "description", "lon", "lat", "address",
                "region_code", "reporter_name", "phone_cipher", "phone_index", "phone_masked", "attributes",
                "media_url", "urgent", "unit_id", "reported_at", "reported_on", "registered_at", "dispatched_at",
                "first_dispatched_at", "response_due", "responded_at", "deadline", "replied_at", "closed_at",
                "overdue", "rework_count", "reopen_count", "park_reason", "resolved", "satisfaction", "rated_at",
                "updated_at")
# NOT NULL columns without a database default, the same for every bulk-loaded case
CONSTANT_COLUMNS = {"open311_token": "", "public_description": "", "publication": "private"}


def _copy_postgres(rows) -> None:
    from django.db import connection

    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY cases_case ({', '.join((*BULK_COLUMNS, *CONSTANT_COLUMNS))}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row((*row, *CONSTANT_COLUMNS.values()))


def _insert_sqlite(rows) -> None:
    from django.db import connection, transaction

    sql = (f"INSERT INTO cases_case ({', '.join((*BULK_COLUMNS, *CONSTANT_COLUMNS))}) "
           f"VALUES ({', '.join(['%s'] * (len(BULK_COLUMNS) + len(CONSTANT_COLUMNS)))})")
    from datetime import date, datetime

    def adapt(value):
        if isinstance(value, datetime):
            return connection.ops.adapt_datetimefield_value(value)
        return value.isoformat() if isinstance(value, date) else value

    batch = []
    for row in rows:
        batch.append((*map(adapt, row), *CONSTANT_COLUMNS.values()))
        if len(batch) == 50_000:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, batch)
            batch = []
    if batch:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, batch)


def _timed(fn, repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def child_stats(count: int) -> dict:
    from datetime import timedelta

    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from civicgrid.accounts.models import User
    from civicgrid.cases import rollup, stats
    from civicgrid.cases.models import Case, DailyStat

    start = time.perf_counter()
    rows = _bulk_rows(count, seed=2026)
    (_copy_postgres if connection.vendor == "postgresql" else _insert_sqlite)(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_case")
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    rollup.refresh(full=True)
    rollup_s = time.perf_counter() - start
    district = User.objects.get(username="bench-district")
    end_day = timezone.localdate()
    year = end_day - timedelta(days=365)
    query_s, report = _timed(lambda: stats.report(actor=district, start=year, end=end_day, by="region"))
    direct_s, direct = _timed(lambda: stats.report(actor=district, start=year, end=end_day, by="region",
                                                   use_rollup=False), repeat=1)
    assert report.total.counts == direct.total.counts, "rollup and direct aggregation disagree"
    client = Client()
    client.force_login(district)

    def page(days):
        response = client.get("/cases/statistics/", {"start": (end_day - timedelta(days=days)).isoformat(),
                                                      "end": end_day.isoformat(), "by": "unit"})
        assert response.status_code == 200
        return response

    page30_s, _ = _timed(lambda: page(30))
    page365_s, _ = _timed(lambda: page(365))
    return {"cases": Case.objects.count(), "load_s": round(load_s, 1), "rollup_s": round(rollup_s, 1),
            "rollup_rows": DailyStat.objects.count(), "query_year_s": round(query_s, 3),
            "query_year_direct_s": round(direct_s, 3), "page_30d_s": round(page30_s, 3),
            "page_365d_s": round(page365_s, 3), "response_rate": report.total.rates["response"]}


def child_main(args) -> None:
    _django(json.loads(os.environ["BENCH_ENV"]))
    if args.child == "setup":
        result = child_setup()
    elif args.child == "verify":
        result = child_verify(args.ids)
    elif args.child == "publish":
        result = child_publish(args.ids)
    else:
        result = child_stats(args.count)
    print("RESULT " + json.dumps(result))


# --- load clients -----------------------------------------------------------------------------------------

def _post_body(key: str, rng: random.Random) -> str:
    _s, _c, _g, lon, lat = rng.choice(CELL_LIST)
    return urllib.parse.urlencode({
        "api_key": key, "service_code": rng.choice(SERVICES), "lat": f"{lat + rng.uniform(0.0005, CELL - 0.0005):.6f}",
        "long": f"{lon + rng.uniform(0.0005, CELL - 0.0005):.6f}", "description": "负载测试：路边垃圾需要清运",
        "phone": f"139{rng.randrange(10**8):08d}"})


CELL_LIST = list(_cells())


def _request(conn, method, path, body=None):
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def _client_thread(port, mode, key, ids, deadline, seed, out):
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies, acked, errors = [], [], 0
    while time.perf_counter() < deadline:
        if mode == "post":
            method, path, body = "POST", "/open311/v2/requests.json", _post_body(key, rng)
        elif mode == "get_one":
            method, path, body = "GET", f"/open311/v2/requests/{rng.choice(ids)}.json", None
        elif mode == "get_list100":
            method, path, body = "GET", "/open311/v2/requests.json?service_request_id=" + ",".join(
                rng.sample(ids, min(100, len(ids)))), None
        else:
            method, path, body = "GET", "/open311/v2/requests.json", None
        start = time.perf_counter()
        try:
            status, payload = _request(conn, method, path, body)
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        latencies.append(time.perf_counter() - start)
        if status != 200:
            errors += 1
        elif mode == "post":
            acked.append(json.loads(payload)[0]["service_request_id"])
    conn.close()
    out.append((latencies, acked, errors))


def _client_process(args):
    port, mode, key, ids, seconds, threads, seed = args
    out: list = []
    deadline = time.perf_counter() + seconds
    workers = [threading.Thread(target=_client_thread, args=(port, mode, key, ids, deadline, seed * 100 + i, out))
               for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return out


WRK_SCRIPT = r"""
local cells = {%(cells)s}
local services = {%(services)s}
local key = "%(key)s"
local mode = "%(mode)s"
local out_path = "%(out)s"
local ids = {}
local threads = {}
acked = {}
counter = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + id * 7919)
  if mode ~= "post" then
    for line in io.lines("%(ids)s") do ids[#ids + 1] = line end
  end
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  if mode == "post" then
    local cell = cells[math.random(#cells)]
    local lon = cell[1] + 0.0005 + math.random() * %(inner)f
    local lat = cell[2] + 0.0005 + math.random() * %(inner)f
    local body = string.format("api_key=%%s&service_code=%%s&lat=%%.6f&long=%%.6f&phone=139%%08d&description=%%s",
      key, services[math.random(#services)], lat, lon, math.random(0, 99999999),
      "%%E8%%B4%%9F%%E8%%BD%%BD%%E6%%B5%%8B%%E8%%AF%%95")
    return wrk.format("POST", "/open311/v2/requests.json", nil, body)
  end
  if mode == "get_one" then
    return wrk.format("GET", "/open311/v2/requests/" .. ids[math.random(#ids)] .. ".json")
  elseif mode == "get_list100" then
    local few = {}
    for i = 1, 100 do few[i] = ids[math.random(#ids)] end
    return wrk.format("GET", "/open311/v2/requests.json?service_request_id=" .. table.concat(few, ","))
  end
  return wrk.format("GET", "/open311/v2/requests.json")
end

function response(status, headers, body)
  if status == 200 and mode == "post" then
    local number = string.match(body, '"service_request_id": "([^"]+)"')
    if number then counter = counter + 1; acked[counter] = number end
  end
end

function done(summary, latency, requests)
  local file = io.open(out_path, "w")
  local e = summary.errors
  file:write(string.format("requests %%d\nduration_us %%d\nerrors %%d\np50_us %%d\np99_us %%d\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
  for _, thread in ipairs(threads) do
    local got = thread:get("acked")
    for _, number in ipairs(got) do file:write("id " .. number .. "\n") end
  end
  file:close()
end
"""


def drive_wrk(port, mode, key, ids, seconds, clients) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="cases-wrk-"))
    ids_path, out_path, script = workdir / "ids.txt", workdir / "out.txt", workdir / "load.lua"
    ids_path.write_text("\n".join(ids) + "\n")
    cells = ",".join(f"{{{lon:.6f},{lat:.6f}}}" for _s, _c, _g, lon, lat in CELL_LIST)
    script.write_text(WRK_SCRIPT % {"cells": cells, "services": ",".join(f'"{s}"' for s in SERVICES), "key": key,
                                    "mode": mode, "out": out_path, "ids": ids_path, "inner": CELL - 0.001})
    ran = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{seconds:.0f}s", "--timeout", "10s", "-s", str(script),
                          f"http://127.0.0.1:{port}/"], capture_output=True, text=True)
    if ran.returncode or not out_path.exists():
        raise SystemExit(f"wrk failed: {ran.stdout[-1500:]} {ran.stderr[-1500:]}")
    values, acked = {}, []
    for line in out_path.read_text().splitlines():
        name, _sep, value = line.partition(" ")
        if name == "id":
            acked.append(value)
        else:
            values[name] = int(value)
    shutil.rmtree(workdir, ignore_errors=True)
    return {"rps": values["requests"] / (values["duration_us"] / 1e6), "p50_ms": values["p50_us"] / 1000,
            "p99_ms": values["p99_us"] / 1000, "errors": values["errors"], "requests": values["requests"],
            "acked": acked}


def drive(port, mode, key, ids, seconds, clients) -> dict:
    """Python keep-alive clients (processes × threads), used when Debian's `wrk` is not installed."""
    processes = min(4, clients)
    per = [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        started = time.perf_counter()
        parts = pool.map(_client_process, [(port, mode, key, ids, seconds, n, i + 1) for i, n in enumerate(per)])
        elapsed = time.perf_counter() - started
    latencies = sorted(x for part in parts for lat, _a, _e in part for x in lat)
    acked = [a for part in parts for _l, acks, _e in part for a in acks]
    errors = sum(e for part in parts for _l, _a, e in part)

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else 0.0

    return {"rps": len(latencies) / elapsed, "p50_ms": pct(0.50), "p99_ms": pct(0.99), "errors": errors,
            "requests": len(latencies), "acked": acked,
            "mean_ms": statistics.fmean(latencies) * 1000 if latencies else 0.0}


# --- parent side --------------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _child(env: dict, *extra: str) -> dict:
    result = subprocess.run([PYTHON, __file__, *extra], env={**os.environ, "BENCH_ENV": json.dumps(env)},
                            capture_output=True, text=True, cwd=ROOT)
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    if result.returncode or not lines:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(f"child {extra} failed")
    return json.loads(lines[-1][7:])


def _psql(sql: str) -> None:
    subprocess.run(["psql", PG_ADMIN, "-q", "-c", sql], check=True, capture_output=True)


def _backend_env(backend: str, data_dir: str) -> dict:
    env = {"CIVICGRID_DATA_DIR": data_dir, "CIVICGRID_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijkl",
           "CIVICGRID_DATA_KEYS": "b1:" + "33" * 32, "DJANGO_SETTINGS_MODULE": "civicgrid.settings",
           "CIVICGRID_LOG_LEVEL": "WARNING", "CIVICGRID_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
           "PYTHONPATH": str(ROOT)}  # the checkout served, even where civicgrid is installed from another
    if backend == "postgres":
        env["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{PG_DB}"
    return env


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of one process (all its threads), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return found


def _database_pids(env: dict) -> list[int]:
    """The PostgreSQL backends serving the bench database (the server's shared background processes are not
    counted); none for SQLite, which runs inside the gunicorn workers."""
    if "DATABASE_URL" not in env:
        return []
    ran = subprocess.run(["psql", PG_ADMIN, "-Atq", "-c",
                          f"SELECT pid FROM pg_stat_activity WHERE datname = '{PG_DB}'"],
                         capture_output=True, text=True, check=True)
    return [int(line) for line in ran.stdout.split()]


class Server:
    def __init__(self, env: dict, port: int, no_audit: bool, args):
        hook = Path(env["CIVICGRID_DATA_DIR"]) / "gunicorn_hook.py"
        hook.write_text(GUNICORN_HOOK)
        self.env = env
        self.log = Path(env["CIVICGRID_DATA_DIR"]) / "gunicorn.log"
        self._log_file = self.log.open("ab")
        for old in Path(env["CIVICGRID_DATA_DIR"]).glob("queries-*.json"):
            old.unlink()
        self.process = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "civicgrid.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--threads", str(args.threads), "--worker-class", args.worker_class,
             "--worker-connections", str(args.worker_connections), "--no-control-socket",
             "--keep-alive", "30", "--log-level", "warning", "-c", str(hook)],
            env={**os.environ, **env, "BENCH_NO_AUDIT": "1" if no_audit else "0"}, cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=self._log_file)
        self.port = port
        self._wait()

    def _wait(self) -> None:
        last = None
        for _ in range(300):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                last = _request(conn, "GET", "/open311/v2/services.json")
                conn.close()
                if last[0] == 200:
                    return
            except OSError as error:
                last = error
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn did not start: {last!r}\n{self.log.read_text()[-2000:]}")

    def cpu(self) -> dict[int, float]:
        """CPU seconds so far of the gunicorn master, its workers and the database backends, per process."""
        pids = [self.process.pid, *_children(self.process.pid), *_database_pids(self.env)]
        return {pid: _cpu_seconds(pid) for pid in pids}

    def stop(self) -> dict:
        """Stops gunicorn; the queries and requests its workers counted (warm-up included, same mix)."""
        self.process.terminate()
        self.process.wait(timeout=30)
        self._log_file.close()
        counts = {"queries": 0, "requests": 0}
        for path in Path(self.env["CIVICGRID_DATA_DIR"]).glob("queries-*.json"):
            for name, value in json.loads(path.read_text()).items():
                counts[name] += value
        return counts


def _measure(env: dict, key: str, ids: list, mode: str, no_audit: bool, args) -> dict:
    server = Server(env, _free_port(), no_audit, args)
    driver = drive_wrk if args.driver == "wrk" else drive
    try:
        # Warm-up, not measured: each worker's first requests build URL resolvers, the API, the grid index
        # and open their database connections, which takes about a second.
        driver(server.port, mode, key, ids, WARMUP_SECONDS, args.clients)
        before = server.cpu()
        result = driver(server.port, mode, key, ids, args.seconds, args.clients)
        after = server.cpu()
    finally:
        counts = server.stop()
    cpu_s = sum(after.values()) - sum(before.get(pid, 0.0) for pid in after)
    result["cpu_ms"] = cpu_s * 1000 / max(1, result["requests"])
    result["queries"] = counts["queries"] / max(1, counts["requests"])
    return result


def _combine(runs: list[dict]) -> dict:
    """Median (and min, max) of the rounds; acknowledged ids and errors of all of them."""
    rps = [r["rps"] for r in runs]
    return {"rps": statistics.median(rps), "rps_min": min(rps), "rps_max": max(rps), "rounds": len(runs),
            "p50_ms": statistics.median(r["p50_ms"] for r in runs),
            "p99_ms": statistics.median(r["p99_ms"] for r in runs),
            "cpu_ms": statistics.median(r["cpu_ms"] for r in runs),
            "cpu_ms_min": min(r["cpu_ms"] for r in runs), "cpu_ms_max": max(r["cpu_ms"] for r in runs),
            "queries": statistics.median(r["queries"] for r in runs),
            "errors": sum(r["errors"] for r in runs), "acked": [a for r in runs for a in r["acked"]]}


def _round_order(round_no: int) -> list[tuple[str, bool]]:
    """Alternating: the audited and unaudited POST phases swap, and the read phases rotate, every round."""
    posts = [("post", False), ("post_noaudit", True)]
    reads = [(phase, False) for phase in READ_PHASES]
    shift = round_no % len(reads)
    return [*(posts if round_no % 2 == 0 else posts[::-1]), *reads[shift:], *reads[:shift]]


def run_backend(backend: str, args) -> dict:
    data_dir = tempfile.mkdtemp(prefix=f"civicgrid-bench-cases-{backend}-")
    env = _backend_env(backend, data_dir)
    if backend == "postgres":
        _psql(f"DROP DATABASE IF EXISTS {PG_DB}")
        _psql(f"CREATE DATABASE {PG_DB}")
    try:
        key = _child(env, "--child", "setup")["key"]
        runs: dict = {phase: [] for phase in PHASES}
        published: list = []
        for round_no in range(args.repeats):
            for phase, no_audit in _round_order(round_no):
                if phase in READ_PHASES and not published:
                    published = runs["post"][0]["acked"]
                    ids_file = Path(data_dir) / "published.json"
                    ids_file.write_text(json.dumps(published))
                    _child(env, "--child", "publish", "--ids", str(ids_file))
                mode = phase if phase in READ_PHASES else "post"
                runs[phase].append(_measure(env, key, published, mode, no_audit, args))
        results: dict = {phase: _combine(phase_runs) for phase, phase_runs in runs.items()}
        acked = results["post"]["acked"] + results["post_noaudit"]["acked"]
        ids_file = Path(data_dir) / "acked.json"
        ids_file.write_text(json.dumps(acked))
        results["verify"] = _child(env, "--child", "verify", "--ids", str(ids_file))
        if args.cases:
            results["stats"] = _child(env, "--child", "stats", "--count", str(args.cases))
        return results
    finally:
        if backend == "postgres":
            _psql(f"DROP DATABASE IF EXISTS {PG_DB}")
        shutil.rmtree(data_dir, ignore_errors=True)


# Issue 13's peer, a Django 3.2 + DRF Open311 server, measured on this machine on PostgreSQL (req/s, CPU ms per
# request of server + database) before this script could run it: its code is not available here, so the ratios
# below are against these recorded figures, not a peer measured in the same run.
RECORDED_PEER = {"post": (152, 11.3), "get_one": (305, 6.2), "get_list100": (54, 34.6), "get_default": (54, 34.6)}
SHORT = {"sqlite": "sqlite", "postgres": "pg"}


def _table(all_results: dict, clients: int) -> None:
    print(f"\n{'backend':10} {'phase':13} {'clients':>7} {'req/s median (min–max)':>24} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'CPU ms/req (min–max)':>22} {'queries/req':>11} {'errors':>7}")
    for backend, results in all_results.items():
        for phase in PHASES:
            r = results[phase]
            spread = f"{r['rps']:.0f} ({r['rps_min']:.0f}–{r['rps_max']:.0f})"
            cpu = f"{r['cpu_ms']:.1f} ({r['cpu_ms_min']:.1f}–{r['cpu_ms_max']:.1f})"
            print(f"{backend:10} {phase:13} {clients:>7} {spread:>24} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} "
                  f"{cpu:>22} {r['queries']:>11.2f} {r['errors']:>7}")
    with_stats = {backend: results for backend, results in all_results.items() if "stats" in results}
    if not with_stats:
        return
    print(f"\n{'backend':10} {'cases':>9} {'load s':>7} {'rollup s':>8} {'rows':>8} {'year q s':>9} "
          f"{'direct s':>9} {'page30 s':>9} {'page365 s':>9} {'lost':>5}")
    for backend, results in with_stats.items():
        s, v = results["stats"], results["verify"]
        print(f"{backend:10} {s['cases']:>9} {s['load_s']:>7} {s['rollup_s']:>8} {s['rollup_rows']:>8} "
              f"{s['query_year_s']:>9} {s['query_year_direct_s']:>9} {s['page_30d_s']:>9} {s['page_365d_s']:>9} "
              f"{v['lost']:>5}")


def _phase_figures(p: str, phase: str, r: dict, backend: str) -> list[str]:
    name = {"post": "create", "post_noaudit": "create_noaudit"}.get(phase, phase)
    figures = [f"{p}_{name}_rps={r['rps']:.0f}", f"{p}_{name}_rps_min={r['rps_min']:.0f}",
               f"{p}_{name}_rps_max={r['rps_max']:.0f}", f"{p}_{name}_p50_ms={r['p50_ms']:.1f}",
               f"{p}_{name}_p99_ms={r['p99_ms']:.1f}", f"{p}_{name}_cpu_ms={r['cpu_ms']:.2f}",
               f"{p}_{name}_queries={r['queries']:.2f}"]
    if backend == "postgres" and phase in RECORDED_PEER:
        peer_rps, peer_cpu = RECORDED_PEER[phase]
        figures += [f"{p}_{name}_vs_recorded_peer={r['rps'] / peer_rps:.2f}",
                    f"{p}_{name}_cpu_vs_recorded_peer={r['cpu_ms'] / peer_cpu:.2f}"]
    return figures


def _summary(all_results: dict) -> str:
    parts, errors, lost = [], 0, 0
    for backend, r in all_results.items():
        p = SHORT[backend]
        for phase in PHASES:
            parts += _phase_figures(p, phase, r[phase], backend)
            errors += r[phase]["errors"]
        share = 1 - r["post"]["rps"] / r["post_noaudit"]["rps"] if r["post_noaudit"]["rps"] else 0
        parts.append(f"{p}_audit_share={share:.2f}")
        if "stats" in r:
            parts += [f"{p}_stats_cases={r['stats']['cases']}", f"{p}_stats_year_s={r['stats']['query_year_s']}",
                      f"{p}_stats_page_365d_s={r['stats']['page_365d_s']}",
                      f"{p}_stats_page_30d_s={r['stats']['page_30d_s']}"]
        lost += r["verify"]["lost"]
    if "sqlite" in all_results and "postgres" in all_results:
        ratio = all_results["postgres"]["post"]["rps"] / max(1.0, all_results["sqlite"]["post"]["rps"])
        parts.append(f"pg_vs_sqlite_create={ratio:.2f}")
    return "BENCH cases_load " + " ".join([*parts, f"errors={errors}", f"lost={lost}"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--cases", type=int)
    parser.add_argument("--repeats", type=int, default=3, help="rounds of the five phases, alternating")
    parser.add_argument("--worker-connections", type=int, default=16,
                        help="gunicorn --worker-connections: with 2 workers × 16 both serve the 32 kept-alive clients")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (2 workers)")
    parser.add_argument("--worker-class", default="gthread", choices=("gthread", "sync"))
    parser.add_argument("--driver", choices=("wrk", "python"), default="wrk" if shutil.which("wrk") else "python")
    parser.add_argument("--code", help="serve this checkout of civicgrid instead of the one holding this script")
    parser.add_argument("--child", choices=("setup", "verify", "publish", "stats"))
    parser.add_argument("--ids")
    parser.add_argument("--count", type=int, default=0)
    args = parser.parse_args()
    if args.child:
        child_main(args)
        return 0
    if args.code:
        global ROOT
        ROOT = Path(args.code).resolve()
        os.environ["BENCH_CODE"] = str(ROOT)
    args.seconds = args.seconds or (3.0 if args.quick else 20.0)
    if args.cases is None:  # --cases 0 skips the statistics part
        args.cases = 40_000 if args.quick else 1_000_000
    print(f"gunicorn 2 {args.worker_class} workers x {args.threads} threads; load driver: {args.driver}, "
          f"{args.clients} clients, {args.seconds:.0f} s per phase, {args.repeats} alternating rounds; statistics over "
          f"{args.cases:,} cases")
    all_results = {backend: run_backend(backend, args) for backend in args.backends.split(",")}
    _table(all_results, args.clients)
    print(_summary(all_results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
