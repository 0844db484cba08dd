"""A community-wide household vote on PostgreSQL: H households (5,000; `--quick`: 1,000) each cast a ballot through
`consultation.services.cast_ballot` (the service a ballot request runs, without the HTTP layer) from 32 concurrent
clients (threads, each with its own connection), while a second member of every 10th household votes at the same
time. Peers in the same run: an open vote and a secret vote, alternated over `--runs` rounds. After each round the
vote is closed and its tally compared with the stored ballots (`lost`: households that voted without a ballot;
`violations`: households with more than one ballot or a tally that differs from the ballots).

Usage: DATABASE_URL is ignored; the bench creates and drops database civicgrid_bench_consultation on 127.0.0.1.
    python bench/consultation.py [--quick] [--clients 32] [--runs 3]
Ends with one line: BENCH consultation key=value …
"""

import argparse
import os
import statistics
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "civicgrid_bench_consultation"
COMMUNITY, GRID = "110107001003", "110107001003001"


def _recreate_database() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
        conn.execute(f"CREATE DATABASE {PG_DB}")


def _setup_django() -> None:
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicgrid.settings_test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _seed(households: int):
    """Regions, one compound, H households with one verified account each (every 10th with a second one)."""
    from civicgrid.accounts.models import Role, User
    from civicgrid.consultation.models import HouseholdVerification
    from civicgrid.people.models import Household, Resident
    from civicgrid.territory.models import Level, Place, Region

    district = Region.objects.create(code="110107", name="石景山区", level=Level.DISTRICT)
    sub = Region.objects.create(code="110107001", name="街道", level=Level.SUBDISTRICT, parent=district)
    community = Region.objects.create(code=COMMUNITY, name="社区", level=Level.COMMUNITY, parent=sub)
    grid = Region.objects.create(code=GRID, name="网格", level=Level.GRID, parent=community)
    place = Place.objects.create(name="回迁小区", kind="resettlement", grid=grid, lon=116.15, lat=39.9)
    Household.objects.bulk_create([Household(place=place, region_code=GRID, unit_label=f"{i}")
                                   for i in range(households)], batch_size=2000)
    homes = list(Household.objects.order_by("pk"))
    staff = User.objects.create(username="community-bench", role=Role.COMMUNITY, region_code=COMMUNITY)
    voters = []
    for n, home in enumerate(homes):
        voters.append((f"v{n}", home))
        if n % 10 == 0:
            voters.append((f"w{n}", home))
    User.objects.bulk_create([User(username=name, role=Role.RESIDENT) for name, _ in voters], batch_size=2000)
    users = {u.username: u for u in User.objects.filter(role=Role.RESIDENT)}
    Resident.objects.bulk_create([Resident(name="居民", gender="male", birth_date="1980-01-01", household=home,
                                           place=place, region_code=GRID, id_number_index=f"x{n}")
                                  for n, home in enumerate(homes)], batch_size=2000)
    residents = dict(Resident.objects.values_list("household_id", "pk"))
    HouseholdVerification.objects.bulk_create([
        HouseholdVerification(user=users[name], household=home, resident_id=residents[home.pk], region_code=GRID,
                              community_code=COMMUNITY, verified_by=staff) for name, home in voters], batch_size=2000)
    return staff, [users[name].pk for name, _ in voters]


def _round(staff, voter_ids: list[int], clients: int, secret: bool) -> dict:
    from django.db import connection
    from django.utils import timezone

    from civicgrid.accounts.models import User
    from civicgrid.consultation import services
    from civicgrid.consultation.models import Ballot
    from civicgrid.consultation.services.votes import tally
    from civicgrid.core.errors import DomainError

    vote = services.open_vote(actor=staff, community=COMMUNITY, question="bench", secret=secret,
                              closes_at=timezone.now() + timedelta(days=1))
    users = {u.pk: u for u in User.objects.filter(pk__in=voter_ids)}
    queue, lock, latencies, errors = list(reversed(voter_ids)), threading.Lock(), [], []

    def client():
        while True:
            with lock:
                if not queue:
                    break
                user_id = queue.pop()
            began = time.perf_counter()
            try:
                services.cast_ballot(actor=users[user_id], vote_id=vote.pk, choice="yes" if user_id % 3 else "no")
            except DomainError as error:
                errors.append(error.code)
            latencies.append(time.perf_counter() - began)
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    closed = services.close_vote(actor=staff, vote_id=vote.pk)
    stored = Ballot.objects.filter(vote=vote).count()
    households = vote.roll_size
    violations = int(closed.results != tally(closed)) + max(0, stored - households)
    latencies.sort()
    return {"votes_s": len(voter_ids) / elapsed, "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
            "lost": households - stored, "violations": violations, "errors": len(errors),
            "ballots": stored, "tally": closed.results["ballots"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    households = 1000 if args.quick else 5000
    _recreate_database()
    _setup_django()
    staff, voter_ids = _seed(households)
    results: dict[str, list[dict]] = {"open": [], "secret": []}
    for _ in range(1 if args.quick else args.runs):
        for kind in ("open", "secret"):  # alternated: neither peer always runs on a warmer database
            results[kind].append(_round(staff, voter_ids, args.clients, kind == "secret"))
            row = results[kind][-1]
            print(f"{kind:6} {row['votes_s']:8.0f} votes/s  p99 {row['p99_ms']:7.1f} ms  ballots {row['ballots']} "
                  f"tally {row['tally']} lost {row['lost']} violations {row['violations']} errors {row['errors']}")
    summary = []
    for kind, rows in results.items():
        rates = [r["votes_s"] for r in rows]
        p99 = [r["p99_ms"] for r in rows]
        print(f"{kind}: votes/s median {statistics.median(rates):.0f} (min {min(rates):.0f}, max {max(rates):.0f}); "
              f"p99 median {statistics.median(p99):.1f} ms (min {min(p99):.1f}, max {max(p99):.1f})")
        summary += [f"{kind}_votes_s={statistics.median(rates):.0f}", f"{kind}_p99_ms={statistics.median(p99):.1f}"]
    ratio = statistics.median(r["votes_s"] for r in results["secret"]) / statistics.median(
        r["votes_s"] for r in results["open"])
    all_rows = [r for rows in results.values() for r in rows]
    from django.db import connections

    connections.close_all()
    _drop()
    print(f"BENCH consultation households={households} ballots={len(voter_ids)} clients={args.clients} "
          + " ".join(summary) + f" secret_vs_open={ratio:.2f} lost={sum(r['lost'] for r in all_rows)} "
          f"violations={sum(r['violations'] for r in all_rows)} errors={sum(r['errors'] for r in all_rows)}")


def _drop() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")


if __name__ == "__main__":
    main()
