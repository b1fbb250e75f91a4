"""Running service calls at the same moment, for the tests of locks and counters.

The calls commit (each thread has its own database connection), so their tests request
`transactional_db`. They need a database where a second writer waits for the first: PostgreSQL
(row locks), or SQLite on a file (the settings open IMMEDIATE transactions with a 20-second
timeout, so writers queue) — the test settings put SQLite's test database in a file. Django's
in-memory SQLite test database would refuse the second writer at once, testing nothing; the
mark skips there.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection

_database = settings.DATABASES["default"]
concurrent_writers = pytest.mark.skipif(
    "sqlite" in _database["ENGINE"] and _database.get("TEST", {}).get("NAME") in (None, "", ":memory:"),
    reason="concurrent writers need PostgreSQL or a SQLite file (an in-memory database refuses, it does not wait)")


def all_at_once(calls):
    """Run the calls in threads released together; each thread uses (and closes) its own
    database connection. Returns [(result, exception)] in the calls' order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait(timeout=30)
            return call(), None
        except Exception as exc:  # noqa: BLE001 — reported to the test
            return None, exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))
