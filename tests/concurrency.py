"""Running one service call from many threads at once, as the concurrency tests do."""

import threading

from django.db import close_old_connections, connection

from civicgrid.core.errors import DomainError


def outcome(call, **kwargs) -> str:
    """'ok', or the refusal's stable code; the calling thread's database connection is closed afterwards."""
    try:
        call(**kwargs)
        return "ok"
    except DomainError as error:
        return error.code
    finally:
        close_old_connections()
        connection.close()


def in_threads(target, calls, *, together: bool = False) -> list[str]:
    """`target(*args)` for every args in `calls`, each in its own thread (started at one barrier if `together`)."""
    results: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(calls)) if together else None

    def run(args):
        if barrier is not None:
            barrier.wait()
        result = target(*args)
        with lock:
            results.append(result)

    threads = [threading.Thread(target=run, args=(args,)) for args in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
