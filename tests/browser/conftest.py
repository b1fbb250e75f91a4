"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

- Chromium is the distribution's /usr/bin/chromium (bin/test installs it); Playwright never
  downloads a browser here. The background-networking flags keep Chromium from phoning home,
  which on this machine only produces refused connections.
- The live server runs in another thread, so these tests use a transactional database: their
  rows are committed, and Django empties every table (`flush`) after each test. The audit
  trail is append-only down to database triggers, which refuse that flush; the transactional_db
  fixture below lifts the triggers around the flush and puts them back, so the rest of the session still
  runs against an append-only log. `serialized_rollback` restores the region tree,
  departments and industries the migrations loaded.
- Screenshots go to var/screenshots/ (ignored by git).
"""

import importlib
import os
from pathlib import Path

import pytest

# pytest-playwright's sync API runs an event loop in the main thread, beside the live server.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

_APPEND_ONLY = importlib.import_module("qingshen.audit_trail.migrations.0003_chain_head_and_append_only")
_TRIGGERS = {
    # vendor: (statements that create the triggers, statements that drop them)
    "sqlite": (_APPEND_ONLY.SQLITE, _APPEND_ONLY.SQLITE_REVERSE),
    "postgresql": (_APPEND_ONLY.POSTGRESQL, _APPEND_ONLY.POSTGRESQL_REVERSE),
}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing (bin/test installs Debian's chromium package)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": {"width": 1366, "height": 900},
    }


@pytest.fixture(scope="session")
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def _set_append_only_triggers(blocker, *, enabled):
    from django.db import connection

    create, drop = _TRIGGERS.get(connection.vendor, ((), ()))
    with blocker.unblock(), connection.cursor() as cursor:
        for statement in create if enabled else drop:
            cursor.execute(statement)


@pytest.fixture
def _append_only_restored(django_db_blocker):
    """Set up before pytest-django's transactional_db, so torn down after its flush."""
    yield
    _set_append_only_triggers(django_db_blocker, enabled=True)


@pytest.fixture
def transactional_db(_append_only_restored, django_db_serialized_rollback, transactional_db, django_db_blocker):
    """pytest-django's transactional_db (which live_server pulls in), made to survive its flush.

    Django empties every table after a transactional test; the audit trail's append-only
    triggers refuse that. The triggers are dropped just before the flush (this fixture's
    teardown runs first) and recreated just after it (`_append_only_restored`, set up
    earlier, is torn down later). `django_db_serialized_rollback` reloads the data the
    migrations created (regions, departments, industries, the audit chain head), which the
    previous browser test's flush removed.

    Browser tests must get their database through this fixture (request `live_server`); a
    `django_db` marker would set the database up before `_append_only_restored`.
    """
    yield
    _set_append_only_triggers(django_db_blocker, enabled=False)
