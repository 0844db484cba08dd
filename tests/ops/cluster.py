"""Two gunicorn app servers and two huey task workers on 127.0.0.1, sharing the test's PostgreSQL database and
one Redis database: the production topology of the README, started and stopped by the test."""

import ctypes
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
# a Redis database of its own (the suite's caches use 8..15), overridable when several checkouts share one Redis
REDIS_DB = int(os.environ.get("CIVICGRID_SCALE_OUT_REDIS_DB", "7"))
# its own queue and cache keys, so that clusters of parallel test runs sharing this Redis never take each other's tasks
INSTANCE = f"civicgrid-scale-out-{os.getpid()}"
LEASE_SECONDS, STOP_SECONDS = 6, 4  # short for a quick test, long enough for heartbeats on a busy 2-core CI machine
PR_SET_PDEATHSIG = 1


def redis_url() -> str:
    return settings.REDIS_URL.rsplit("/", 1)[0] + f"/{REDIS_DB}"


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "CIVICGRID_TEST"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "civicgrid.settings", "CIVICGRID_TESTING": "0", "PYTHONPATH": str(REPO),
        "DATABASE_URL": database_url(), "REDIS_URL": redis_url(), "CIVICGRID_INSTANCE": INSTANCE,
        "CIVICGRID_DATA_DIR": str(settings.DATA_DIR),
        "CIVICGRID_SECURE_COOKIES": "0", "CIVICGRID_TASK_LEASE_SECONDS": str(LEASE_SECONDS),
        "CIVICGRID_WORKER_STOP_SECONDS": str(STOP_SECONDS), "CIVICGRID_LOG_LEVEL": "INFO"})
    return env


@dataclass
class Process:
    name: str
    args: list[str]
    log: Path
    proc: subprocess.Popen | None = None

    def start(self) -> "Process":
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(self.args, cwd=REPO, env=server_env(), stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True, preexec_fn=_stop_with_parent)
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal(self, signum: int) -> None:
        assert self.proc is not None
        self.proc.send_signal(signum)

    def wait(self, timeout: float) -> int:
        assert self.proc is not None
        return self.proc.wait(timeout)

    def stop(self) -> None:
        """TERM (graceful for both), KILL after 15 s; the whole process group, so no child is left."""
        if not self.alive():
            return
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)

    def text(self) -> str:
        return self.log.read_text(errors="replace")


@dataclass
class Cluster:
    logs: Path
    servers: list[Process] = field(default_factory=list)
    workers: list[Process] = field(default_factory=list)
    ports: list[int] = field(default_factory=list)

    def start(self) -> "Cluster":
        for name in ("a", "b"):
            port = free_port()
            self.ports.append(port)
            self.servers.append(Process(f"app-{name}", [
                sys.executable, "-m", "gunicorn", "civicgrid.wsgi:application", "--bind", f"127.0.0.1:{port}",
                "--workers", "1", "--threads", "2", "--no-control-socket", "--graceful-timeout", "5",
                "--access-logfile", "-", "--access-logformat", '%(h)s %(t)s "%(m)s %(U)s" %(s)s'],
                self.logs / f"app-{name}.log").start())
        for i in (1, 2):
            self.workers.append(self.new_worker(i).start())
        deadline = time.monotonic() + 60
        for port in self.ports:
            wait_until(lambda p=port: _answers(p), deadline, f"app server on port {port}")
        for worker in self.workers:
            wait_until(lambda w=worker: "Huey consumer started" in w.text(), deadline, f"{worker.name} to start")
        return self

    def new_worker(self, i: int) -> Process:
        return Process(f"worker-{i}", [sys.executable, "-m", "civicgrid.cli", "run_huey", "--workers", "2"],
                       self.logs / f"worker-{i}.log")

    def replace_worker(self, dead: Process) -> None:
        index = self.workers.index(dead)
        started_before = dead.text().count("Huey consumer started")
        fresh = self.new_worker(index + 1).start()  # appends to the same log
        wait_until(lambda: fresh.text().count("Huey consumer started") > started_before, time.monotonic() + 30,
                   f"{fresh.name} to restart")
        self.workers[index] = fresh

    def worker_with_pid(self, pid: int) -> Process:
        return next(w for w in self.workers if w.pid == pid)

    def stop(self) -> None:
        for process in self.servers + self.workers:
            process.stop()

    def url(self, server: int, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[server]}{path}"


def _stop_with_parent() -> None:
    """Linux: the process gets SIGTERM when the test process dies, even without running its teardown."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def wait_until(condition, deadline: float, what: str, interval: float = 0.1):
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


class Browser:
    """Cookies shared across both servers (cookies do not depend on the port), CSRF header from the cookie."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())

    def request(self, url: str, *, data: dict | None = None, json_body: dict | None = None) -> tuple[int, str]:
        headers = {"X-CSRFToken": self.cookie("csrftoken") or "", "Referer": url}
        body = None
        if json_body is not None:
            body, headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
        elif data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            with self.opener.open(urllib.request.Request(url, data=body, headers=headers), timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def login(self, url: str, username: str, password: str) -> int:
        status, page = self.request(url)
        assert status == 200, page[:300]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the login page"
        status, _ = self.request(url, data={"csrfmiddlewaretoken": token[1], "username": username,
                                            "password": password})
        return status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None
