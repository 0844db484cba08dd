"""CPU per Open311 request in-process: Django's WSGI handler called directly (no HTTP server, one thread), on a
fresh database with the district of cases_load (450 grids) and one api_key.

For each operation (POST requests.json, GET one request, a list of 100, the default page) it runs N requests and
reports the median CPU milliseconds per request (`time.process_time` over blocks of 50, so PostgreSQL's own
work is not counted here: see cases_load for server + database) and the statements per request. `--profile OP`
prints the top of a cProfile of that operation instead.

Usage: python bench/open311_cpu.py [--requests 300] [--rounds 3] [--profile post|get_one|get_list100|get_default]
       (DATABASE_URL=postgres://…/name for PostgreSQL: that database is dropped and created; else SQLite in a
       temporary data dir)
Ends with one line: BENCH open311_cpu backend=… post_cpu_ms=… get_one_cpu_ms=… …
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cases_load  # noqa: E402  the same district, key and POST body as the load bench

OPERATIONS = ("post", "get_one", "get_list100", "get_default")
BLOCK = 50


def _environ(method: str, path: str, query: str = "", body: bytes = b"") -> dict:
    return {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1", "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http",
            "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.multithread": True,
            "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0)}


class Caller:
    def __init__(self, key: str):
        from django.core.wsgi import get_wsgi_application

        self.app, self.key, self.rng, self.numbers = get_wsgi_application(), key, random.Random(7), []
        self.published: list[str] = []
        self.status = ""

    def _start(self, status, headers, exc_info=None):
        self.status = status

    def call(self, environ: dict) -> bytes:
        body = b"".join(self.app(environ, self._start))
        if not self.status.startswith("200"):
            raise SystemExit(f"{environ['PATH_INFO']}: {self.status} {body[:300]!r}")
        return body

    def request(self, operation: str) -> bytes:
        if operation == "post":
            body = cases_load._post_body(self.key, self.rng).encode()
            answer = self.call(_environ("POST", "/open311/v2/requests.json", body=body))
            self.numbers.append(json.loads(answer)[0]["service_request_id"])
            return answer
        if operation == "get_one":
            return self.call(_environ("GET", f"/open311/v2/requests/{self.rng.choice(self.published)}.json"))
        if operation == "get_list100":
            ids = ",".join(self.rng.sample(self.published, 100))
            return self.call(_environ("GET", "/open311/v2/requests.json",
                                      urllib.parse.urlencode({"service_request_id": ids})))
        return self.call(_environ("GET", "/open311/v2/requests.json"))


def _statements(caller: Caller, operation: str, count: int = 20) -> float:
    from django.db import connection

    queries = 0

    def counting(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        for _ in range(count):
            caller.request(operation)
    return queries / count


def _cpu_ms(caller: Caller, operation: str, requests: int) -> float:
    blocks = []
    for _ in range(max(1, requests // BLOCK)):
        start = time.process_time()
        for _ in range(BLOCK):
            caller.request(operation)
        blocks.append((time.process_time() - start) * 1000 / BLOCK)
    return statistics.median(blocks)


def _setup(backend: str) -> str:
    data_dir = tempfile.mkdtemp(prefix="civicgrid-open311-cpu-")
    env = cases_load._backend_env(backend, data_dir)
    os.environ.update(env)
    if backend == "postgres":
        subprocess.run(["psql", cases_load.PG_ADMIN, "-q", "-c", f"DROP DATABASE IF EXISTS {cases_load.PG_DB}"],
                       check=True)
        subprocess.run(["psql", cases_load.PG_ADMIN, "-q", "-c", f"CREATE DATABASE {cases_load.PG_DB}"], check=True)
    import django

    django.setup()
    return cases_load.child_setup()["key"]


def _publish(numbers: list[str]) -> None:
    from civicgrid.cases.models import Case, Publication, pk_from_number

    Case.objects.filter(pk__in=[pk_from_number(n) for n in numbers]).update(
        publication=Publication.PUBLISHED, public_description="负载测试：路边垃圾需要清运")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", choices=OPERATIONS)
    args = parser.parse_args()
    backend = "postgres" if cases_load._GIVEN_URL else "sqlite"
    caller = Caller(_setup(backend))
    for _ in range(200):  # warm-up, and the cases the reads read
        caller.request("post")
    _publish(caller.numbers)
    caller.published = list(caller.numbers)
    for operation in OPERATIONS[1:]:
        caller.request(operation)
    if args.profile:
        profile = cProfile.Profile(time.process_time)
        profile.runcall(lambda: [caller.request(args.profile) for _ in range(args.requests)])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
        return 0
    figures = {operation: [] for operation in OPERATIONS}
    for _ in range(args.rounds):  # alternating operations, round after round
        for operation in OPERATIONS:
            figures[operation].append(_cpu_ms(caller, operation, args.requests))
    parts = [f"backend={backend}"]
    for operation, values in figures.items():
        parts += [f"{operation}_cpu_ms={statistics.median(values):.2f}", f"{operation}_cpu_ms_min={min(values):.2f}",
                  f"{operation}_cpu_ms_max={max(values):.2f}",
                  f"{operation}_statements={_statements(caller, operation):.2f}"]
    print("BENCH open311_cpu " + " ".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
