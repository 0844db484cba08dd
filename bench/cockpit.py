"""The leadership cockpit on a district-year of data (issue 11).

Loads, in bulk: 1,000,000 cases over the last 365 days in every state (the generator of bench/cases_load.py, 9
subdistricts × 10 communities × 5 grids), 560,000 residents, 100,000 confirmed volunteer service records; builds
the cockpit's rollups; then asks every cockpit page through the real views (Django's test Client, signed in as the
district office and as a subdistrict leader) and prints p50/p99 per page; then 1,000 new events (500 new cases,
500 closed cases reopened or re-rated across the year) and the time the incremental refresh takes. After the
refresh every cases figure of the district for the year and for each month is compared with the same figure
computed directly from the cases table (`errors` counts disagreements and non-200 answers).

Usage: python bench/cockpit.py [--quick] [--backends sqlite,postgres] [--repeat 20]
--quick: 50,000 cases, 28,000 residents, 5,000 records, 5 requests per page (under a minute per backend).
PostgreSQL: database cg_cockpit on postgres@127.0.0.1:5432 (dropped and made again).

Summary: BENCH cockpit cases=… residents=… records=… sqlite_page_p50_ms=… sqlite_worst_page_p99_ms=…
sqlite_refresh_1000_s=… sqlite_rollup_full_s=… sqlite_load_cases_s=… pg_… errors=0
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
PYTHON = sys.executable
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "cg_cockpit"
SIZES = {"full": (1_000_000, 560_000, 100_000), "quick": (50_000, 28_000, 5_000)}


# --- child: Django in its own process, one backend -------------------------------------------------------------

def _django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _regions() -> dict:
    import cases_load
    from django.core.management import call_command

    from civicgrid.accounts.models import Role, User
    from civicgrid.territory.models import Level, Region

    call_command("migrate", verbosity=0)
    district = Region.objects.create(code=cases_load.DISTRICT, name="石景山区", level=Level.DISTRICT,
                                     boundary=cases_load._square(116.10, 39.86, 0.2))
    made: dict = {}
    grids = []
    for sub, comm, grid, lon, lat in cases_load._cells():
        if sub not in made:
            made[sub] = Region.objects.create(code=sub, name=f"街道{sub[-3:]}", level=Level.SUBDISTRICT,
                                              parent=district, boundary=cases_load._square(lon, lat, 0.03))
        if comm not in made:
            made[comm] = Region.objects.create(code=comm, name=f"社区{comm[-6:]}", level=Level.COMMUNITY,
                                               parent=made[sub], boundary=cases_load._square(lon, lat, 0.012))
        grids.append(Region.objects.create(code=grid, name=f"网格{grid[-9:]}", level=Level.GRID, parent=made[comm],
                                           boundary=cases_load._square(lon, lat, cases_load.CELL),
                                           center_lon=lon + cases_load.CELL / 2, center_lat=lat + cases_load.CELL / 2))
    users = {"district": User.objects.create(username="bench-district", role=Role.DISTRICT,
                                             region_code=cases_load.DISTRICT),
             "sub": User.objects.create(username="bench-sub", role=Role.SUBDISTRICT, region_code=grids[0].code[:9])}
    return {"grids": grids, "users": users}


def _residents(count: int, grids: list) -> None:
    """Residents spread over the grids, one compound and 3-person households per grid; personal data as bench
    placeholders (never decrypted here). Region populations summed up for the per-1,000 figures."""
    from datetime import date

    from django.db.models import Count

    from civicgrid.people.models import Household, Resident
    from civicgrid.territory.models import Place, PlaceKind, Region

    places = Place.objects.bulk_create([Place(name=f"小区{g.code[-6:]}", kind=PlaceKind.OLD_COMPOUND, grid=g,
                                              region_code=g.code, lon=g.center_lon, lat=g.center_lat)
                                        for g in grids])
    per_grid = count // len(grids)
    rng = random.Random(7)
    for place in places:
        households = Household.objects.bulk_create([Household(place=place, region_code=place.region_code,
                                                              unit_label=f"{i // 3 + 1}号")
                                                    for i in range(0, per_grid, 3)])
        Resident.objects.bulk_create([
            Resident(name="居民", gender="female" if i % 2 else "male",
                     birth_date=date(1940 + rng.randrange(70), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                     household=households[i // 3], place=place, region_code=place.region_code,
                     id_number_cipher="bench", id_number_index=f"{place.pk}-{i}", id_number_masked="110107****",
                     ) for i in range(per_grid)], batch_size=5000)
    for length in (15, 12, 9, 6):
        from django.db.models.functions import Substr

        rows = (Resident.objects.annotate(p=Substr("region_code", 1, length)).values("p").annotate(n=Count("id"))
                .order_by())
        for row in rows:
            Region.objects.filter(code=row["p"]).update(population=row["n"])


def _records(count: int, grids: list) -> None:
    from datetime import datetime, timedelta
    from datetime import time as dtime

    from django.utils import timezone

    from civicgrid.accounts.models import Role, User
    from civicgrid.volunteering.models import ServiceRecord, Team, Volunteer

    communities = sorted({g.code[:12] for g in grids})
    teams = Team.objects.bulk_create([Team(name=f"志愿队{c[-3:]}", kind="community", region_code=c)
                                      for c in communities])
    users = User.objects.bulk_create([User(username=f"bench-vol-{i}", role=Role.RESIDENT) for i in range(2000)])
    now = timezone.now()
    volunteers = Volunteer.objects.bulk_create([
        Volunteer(user=u, name="志愿者", id_number_cipher="bench", id_number_index=f"v{i}", id_number_masked="1101**",
                  phone_cipher="bench", phone_index=f"p{i}", phone_masked="138****0000",
                  region_code=communities[i % len(communities)], consent_at=now) for i, u in enumerate(users)])
    rng, today = random.Random(8), timezone.localdate()
    made = []
    for _ in range(count):
        volunteer = rng.choice(volunteers)
        team = teams[communities.index(volunteer.region_code)]
        day = today - timedelta(days=rng.randrange(365))
        start = timezone.make_aware(datetime.combine(day, dtime(9)))
        minutes = rng.choice((60, 90, 120, 180))
        made.append(ServiceRecord(volunteer=volunteer, team=team, region_code=team.region_code, service_date=day,
                                  started_at=start, ended_at=start + timedelta(minutes=minutes), content="社区服务",
                                  minutes=minutes, status=ServiceRecord.Status.CONFIRMED))
    ServiceRecord.objects.bulk_create(made, batch_size=5000)


def _complete_constant_columns() -> None:
    """cases_load's bulk rows predate some NOT NULL columns of Case: give them their model default."""
    import cases_load

    from civicgrid.cases.models import Case

    for field in Case._meta.concrete_fields:
        if (field.primary_key or field.null or field.column in cases_load.BULK_COLUMNS
                or field.column in cases_load.CONSTANT_COLUMNS):
            continue
        cases_load.CONSTANT_COLUMNS[field.column] = field.get_default()


def _cases(count: int, seed: int) -> None:
    import cases_load
    from django.db import connection

    _complete_constant_columns()
    rows = cases_load._bulk_rows(count, seed=seed)
    (cases_load._copy_postgres if connection.vendor == "postgresql" else cases_load._insert_sqlite)(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _pages(grids: list) -> dict[str, tuple[str, str]]:
    sub, comm, grid = grids[0].code[:9], grids[0].code[:12], grids[0].code
    return {"district_month": ("district", "/cockpit/"),
            "district_year": ("district", "/cockpit/?period=year"),
            "subdistrict": ("district", f"/cockpit/regions/{sub}/"),
            "community": ("district", f"/cockpit/regions/{comm}/"),
            "grid": ("district", f"/cockpit/regions/{grid}/"),
            "rankings_community": ("district", "/cockpit/rankings/?level=community&period=year"),
            "rankings_peers": ("sub", "/cockpit/rankings/?level=subdistrict"),
            "brief": ("district", "/cockpit/brief/"),
            "reports": ("district", "/cockpit/reports/"),
            "sub_home": ("sub", "/cockpit/")}


def _measure_pages(users: dict, grids: list, repeat: int) -> tuple[dict, int]:
    from django.test import Client

    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    results, errors = {}, 0
    for page, (who, url) in _pages(grids).items():
        times, cpu = [], []
        for i in range(repeat + 1):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = clients[who].get(url)
            elapsed, used = time.perf_counter() - start, time.process_time() - start_cpu
            if response.status_code != 200:
                errors += 1
            if i:  # the first request warms the process and the cache of module figures: reported apart
                times.append(elapsed * 1000)
                cpu.append(used * 1000)
            else:
                first = elapsed * 1000
        times.sort()
        results[page] = {"p50_ms": round(statistics.median(times), 1),
                         "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1),
                         "cpu_p50_ms": round(statistics.median(cpu), 1), "first_ms": round(first, 1)}
    return results, errors


def _profile(users: dict, grids: list, page: str) -> None:
    import cProfile
    import pstats

    from django.test import Client

    who, url = _pages(grids)[page]
    client = Client()
    client.force_login(users[who])
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)


def _events(count: int, seed: int) -> None:
    """Half new cases (today), half closed cases of the past year reopened or re-rated (their day changes), a
    tenth of all of them also moved to a grid of another subdistrict."""
    from datetime import timedelta

    import cases_load
    from django.db import connection
    from django.utils import timezone

    from civicgrid.cases.models import Case

    rows = list(cases_load._generate(count // 2, random.Random(seed), *_refs(), timezone.now()))
    rows = [(*row[:17], timezone.now() - timedelta(minutes=1), timezone.localdate(), *row[19:34], timezone.now())
            for row in rows]
    (cases_load._copy_postgres if connection.vendor == "postgresql" else cases_load._insert_sqlite)(iter(rows))
    rng = random.Random(seed)
    closed = list(Case.objects.filter(state="closed").order_by("?").values_list("pk", flat=True)[:count // 2]) \
        if connection.vendor == "postgresql" else _sample_closed(count // 2, rng)
    half = len(closed) // 2
    now = timezone.now()
    Case.objects.filter(pk__in=closed[:half]).update(state="handling", closed_at=None, updated_at=now)
    Case.objects.filter(pk__in=closed[half:]).update(satisfaction="unsatisfied", resolved=False, updated_at=now)
    _move(closed[half:half + count // 10], now)


def _move(pks: list[int], now) -> None:
    """Some of the re-rated cases were filed in the wrong grid: moved to a grid of another subdistrict."""
    from civicgrid.cases.models import Case
    from civicgrid.territory.models import Region

    grids = list(Region.objects.filter(level="grid").order_by("code").values_list("code", flat=True))
    for pk, grid in Case.objects.filter(pk__in=pks).values_list("pk", "region_code"):
        target = next(code for code in grids[pk % len(grids):] + grids if code[:9] != grid[:9])
        Case.objects.filter(pk=pk).update(region_code=target, updated_at=now)


def _refs():
    from civicgrid.cases.models import Category, HandlingUnit

    categories = list(Category.objects.filter(parent__isnull=False).values_list("pk", "parent_id"))
    return categories, list(HandlingUnit.objects.values_list("pk", flat=True))


def _sample_closed(count: int, rng: random.Random) -> list[int]:
    from civicgrid.cases.models import Case

    top = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picked: set[int] = set()
    while len(picked) < count:
        batch = [rng.randint(1, top) for _ in range(count * 3)]
        picked |= set(Case.objects.filter(pk__in=batch, state="closed").values_list("pk", flat=True))
    return sorted(picked)[:count]


def _disagreements(users: dict) -> int:
    """Every cases figure of the district for the year and for each of the 12 months: rollup against direct."""
    from datetime import date

    from django.utils import timezone

    from civicgrid.cockpit import selectors
    from civicgrid.cockpit.periods import Period
    from civicgrid.territory.models import Region

    district = list(Region.objects.filter(level="district"))
    subs = list(Region.objects.filter(level="subdistrict").order_by("code"))
    today = timezone.localdate()
    periods = [Period("year", date(today.year - 1, today.month, 1), Period.containing("month", today).end)]
    month = Period.containing("month", today)
    for _ in range(12):
        periods.append(month)
        month = month.previous()
    wrong = 0
    rolled_kpis = [k for k in selectors.kpis() if k.rollup]
    for regions in (district, subs):
        for period in periods[:4]:
            rolled = selectors.figures(actor=users["district"], regions=regions, period=period,
                                       only=[k.key for k in rolled_kpis])
            for entry in rolled_kpis:
                direct = entry.values(users["district"], regions, period.start, period.end)
                wrong += sum(1 for code in direct if direct[code] != rolled[entry.key][code])
    return wrong


def child_run(args) -> dict:
    _django(json.loads(os.environ["BENCH_ENV"]))
    from civicgrid.cockpit import rollup, services
    from civicgrid.cockpit.models import DayRollup, MonthRollup
    from civicgrid.territory.models import Region

    cases, residents, records = SIZES["quick" if args.quick else "full"]
    timings = {}
    from django.db import transaction

    start = time.perf_counter()
    made = _regions()
    with transaction.atomic():
        _residents(residents, made["grids"])
    timings["load_residents_s"] = round(time.perf_counter() - start, 1)
    start = time.perf_counter()
    with transaction.atomic():
        _records(records, made["grids"])
    timings["load_records_s"] = round(time.perf_counter() - start, 1)
    start = time.perf_counter()
    _cases(cases, seed=2026)
    timings["load_cases_s"] = round(time.perf_counter() - start, 1)
    start = time.perf_counter()
    rollup.refresh(full=True)
    timings["rollup_full_s"] = round(time.perf_counter() - start, 1)
    services.monthly_reports_due(force=True)  # last month's reports, listed by the reports page
    pages, errors = _measure_pages(made["users"], made["grids"], args.repeat)
    if args.profile:
        _profile(made["users"], made["grids"], args.profile)
    _events(1000, seed=99)
    start = time.perf_counter()
    refreshed = rollup.refresh()
    timings["refresh_1000_s"] = round(time.perf_counter() - start, 2)
    wrong = _disagreements(made["users"])
    from civicgrid.cases.models import Case

    return {"cases": Case.objects.count(), "residents": Region.objects.get(level="district").population,
            "records": records, "day_rows": DayRollup.objects.count(), "month_rows": MonthRollup.objects.count(),
            "refreshed_days": refreshed["cases"]["days"],
            "refreshed_cells": refreshed["cases"]["cells"], "pages": pages, "http_errors": errors,
            "disagreements": wrong, **timings}


# --- parent ---------------------------------------------------------------------------------------------------

def _env(backend: str, data_dir: str) -> dict:
    env = {"CIVICGRID_DATA_DIR": data_dir, "CIVICGRID_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijkl",
           "CIVICGRID_DATA_KEYS": "b1:" + "33" * 32, "DJANGO_SETTINGS_MODULE": "civicgrid.settings",
           "CIVICGRID_LOG_LEVEL": "WARNING", "CIVICGRID_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver"}
    if backend == "postgres":
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    return env


def _psql(sql: str) -> None:
    subprocess.run(["psql", PG_ADMIN, "-q", "-c", sql], check=True, capture_output=True)


def run_backend(backend: str, args) -> dict:
    data_dir = tempfile.mkdtemp(prefix=f"civicgrid-bench-cockpit-{backend}-")
    if backend == "postgres":
        _psql(f"DROP DATABASE IF EXISTS {PG_DB}")
        _psql(f"CREATE DATABASE {PG_DB}")
    try:
        extra = (["--quick"] if args.quick else []) + (["--profile", args.profile] if args.profile else [])
        result = subprocess.run([PYTHON, __file__, "--child", "--repeat", str(args.repeat), *extra], cwd=ROOT,
                                env={**os.environ, "BENCH_ENV": json.dumps(_env(backend, data_dir))},
                                capture_output=True, text=True)
        lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
        if args.profile:
            sys.stderr.write(result.stderr[-20000:])
        if result.returncode or not lines:
            sys.stderr.write(result.stdout[-3000:] + result.stderr[-5000:])
            raise SystemExit(f"{backend} child failed")
        return json.loads(lines[-1][7:])
    finally:
        if backend == "postgres":
            _psql(f"DROP DATABASE IF EXISTS {PG_DB}")
        shutil.rmtree(data_dir, ignore_errors=True)


SHORT = {"sqlite": "sqlite", "postgres": "pg"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--repeat", type=int, default=0)
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--profile", default="", help="a page name: print its profile (child's stderr)")
    args = parser.parse_args()
    args.repeat = args.repeat or (5 if args.quick else 20)
    if args.child:
        print("RESULT " + json.dumps(child_run(args)))
        return
    summary, errors = [], 0
    first = None
    for backend in args.backends.split(","):
        result = run_backend(backend, args)
        first = first or result
        print(f"\n{backend}: {result['cases']:,} cases, {result['residents']:,} residents, {result['records']:,} "
              f"records; rollup rows {result['day_rows']:,} daily / {result['month_rows']:,} monthly")
        print(f"  load: residents {result['load_residents_s']} s, records {result['load_records_s']} s, cases "
              f"{result['load_cases_s']} s; full rollup {result['rollup_full_s']} s")
        print(f"  {'page':22} {'p50 ms':>8} {'p99 ms':>8} {'cpu p50':>8} {'first ms':>9}")
        for page, figures in result["pages"].items():
            print(f"  {page:22} {figures['p50_ms']:8.1f} {figures['p99_ms']:8.1f} {figures['cpu_p50_ms']:8.1f} "
                  f"{figures['first_ms']:9.1f}")
        print(f"  refresh after 1,000 events: {result['refresh_1000_s']} s ({result['refreshed_cells']} cells of "
              f"{result['refreshed_days']} days rebuilt); "
              f"rollup vs direct disagreements: {result['disagreements']}; non-200 answers: {result['http_errors']}")
        p50 = statistics.median(p["p50_ms"] for p in result["pages"].values())
        worst = max(p["p99_ms"] for p in result["pages"].values())
        short = SHORT.get(backend, backend)
        cold = max(p["first_ms"] for p in result["pages"].values())
        summary += [f"{short}_page_p50_ms={p50:.0f}", f"{short}_worst_page_p99_ms={worst:.0f}",
                    f"{short}_worst_first_ms={cold:.0f}",
                    f"{short}_refresh_1000_s={result['refresh_1000_s']}",
                    f"{short}_rollup_full_s={result['rollup_full_s']}",
                    f"{short}_load_cases_s={result['load_cases_s']}"]
        errors += result["disagreements"] + result["http_errors"]
    head = (f"cases={first['cases']} residents={first['residents']} records={first['records']}" if first else "")
    print(f"BENCH cockpit {head} {' '.join(summary)} errors={errors}")


if __name__ == "__main__":
    main()
