"""Running service calls at the same moment, for the tests of locks and counters.

The calls commit (each thread has its own database connection), so their tests request
`transactional_db`. They run on PostgreSQL only: SQLite's test database is in memory with a
shared cache, where a second writer gets "database table is locked" at once instead of waiting
for the lock, so threads there test nothing. (On a real SQLite file writers wait: the settings
use IMMEDIATE transactions with a 20-second timeout.)
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection

postgresql_only = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="concurrent writers need PostgreSQL (SQLite's in-memory test database refuses, it does not wait)")


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
