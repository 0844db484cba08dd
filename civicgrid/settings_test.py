"""Settings for the test suite: the normal settings, a throw-away data dir and fast password hashing."""

import atexit
import os
import shutil
import tempfile

os.environ["CIVICGRID_TESTING"] = "1"
# never the developer's data dir (`make` exports CIVICGRID_DATA_DIR=./var): tests write keys, files and logins there
if os.environ.get("CIVICGRID_TEST_DATA_DIR"):
    os.environ["CIVICGRID_DATA_DIR"] = os.environ["CIVICGRID_TEST_DATA_DIR"]
else:
    os.environ["CIVICGRID_DATA_DIR"] = tempfile.mkdtemp(prefix="civicgrid-test-")
    atexit.register(shutil.rmtree, os.environ["CIVICGRID_DATA_DIR"], ignore_errors=True)
os.environ.setdefault("CIVICGRID_SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("CIVICGRID_DATA_KEYS", "t1:" + "11" * 32)

from civicgrid.settings import *  # noqa: E402,F403

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not shared-cache memory: threads and processes in concurrency tests lock it like production does.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405

if REDIS_URL:  # noqa: F405
    # each xdist worker gets a Redis database of its own, so clearing the cache between tests stays local
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    CACHES["default"]["LOCATION"] = REDIS_URL.rsplit("/", 1)[0] + f"/{15 - worker % 8}"  # noqa: F405

# The live server of the browser tests serves each request on a new thread: a persistent connection would outlive
# its thread, and a map page's dozen tile requests left a dozen PostgreSQL connections open until the server ran out
# (CI: "too many clients already"). Tests close every connection at the end of its request.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
