"""Log lines: one time zone (the platform's, offset written out) whatever the process's TZ, and the task worker's
log (what `make run` writes to var/tasks.log) prints each line once."""

import logging
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from civicgrid.core.logs import LocalTimeFormatter

STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \+0800 ")


def test_the_formatter_writes_the_platform_zone_with_its_offset():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    record.created, record.msecs = 1_767_225_600.25, 250  # 2026-01-01 00:00:00.250 UTC
    line = LocalTimeFormatter("%(asctime)s %(message)s").format(record)
    assert line == "2026-01-01 08:00:00.250 +0800 hello"


def _worker_lines(tmp_path: Path, *, until: str, timeout: float = 120) -> list[str]:
    env = {**os.environ, "TZ": "UTC", "PYTHONUNBUFFERED": "1", "CIVICGRID_DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "civicgrid.settings"}  # the settings `make run` uses, not the tests'
    for name in ("DATABASE_URL", "REDIS_URL", "CIVICGRID_TESTING"):  # a worker as `make run` starts it
        env.pop(name, None)
    out = tmp_path / "tasks.log"
    with out.open("w") as sink:
        worker = subprocess.Popen([sys.executable, "-m", "civicgrid", "run_huey", "--workers", "1", "--no-periodic"],
                                  stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=Path(__file__).parents[2])
        try:
            deadline = time.monotonic() + timeout
            while until not in out.read_text() and time.monotonic() < deadline and worker.poll() is None:
                time.sleep(0.2)
            time.sleep(0.5)  # a duplicate would be written right after the first copy
        finally:
            worker.send_signal(signal.SIGINT)
            worker.wait(timeout=30)
    return out.read_text().splitlines()


def test_the_task_worker_prints_each_line_once_in_one_zone(tmp_path):
    lines = _worker_lines(tmp_path, until="The following commands are available")
    started = [line for line in lines if "Huey consumer started" in line]
    assert len(started) == 1, lines
    logged = [line for line in lines if "huey" in line and not line.startswith("+")]
    assert logged and all(STAMP.match(line) for line in logged), logged
