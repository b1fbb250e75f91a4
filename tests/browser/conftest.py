"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

- Chromium is the distribution's /usr/bin/chromium (bin/test installs it); Playwright never
  downloads a browser here. The background-networking flags keep Chromium from phoning home,
  which on this machine only produces refused connections.
- The live server runs in another thread, so these tests use a transactional database: their
  rows are committed, and Django empties every table (`flush`) after each test. The audit
  trail is append-only down to database triggers, which refuse that flush; the
  transactional_db fixture below lifts the triggers around the flush and puts them back, so
  the rest of the session still runs against an append-only log. It also puts back the rows
  the migrations loaded (region tree, departments, industries, audit chain head), which
  the browser tests rely on and so do the tests that run after them.
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
def _media_url_for_live_server():
    """A MEDIA_URL string while the live server builds its handlers.

    The project sets MEDIA_URL = None on purpose (private files are served only by views that
    check permissions), but Django's LiveServerThread wraps the site in a media-file handler
    that parses MEDIA_URL and, given None, fails every request. The handler parses the URL
    once, at start-up, so a prefix no page ever links to is set just for that moment.
    """
    from django.test.utils import override_settings

    override = override_settings(MEDIA_URL="/__media-not-served-by-qingshen__/")
    override.enable()
    active = [True]

    def restore():
        if active.pop() if active else False:
            override.disable()

    yield restore
    restore()  # live_server failed to start


@pytest.fixture(scope="session")
def live_server(_media_url_for_live_server, django_db_setup, live_server):
    """pytest-django's live server, started while MEDIA_URL is a string (see above).

    It comes after the test database (`django_db_setup`), so at the end of the session it
    stops, closing its connections, before the database is dropped.
    """
    _media_url_for_live_server()
    return live_server


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative URLs in page.goto() go to the live server."""
    return live_server.url


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


def _set_append_only_triggers(*, enabled):
    """Drop the audit trail's append-only triggers; with enabled=True, (re)create them."""
    from django.db import connection

    create, drop = _TRIGGERS.get(connection.vendor, ((), ()))
    with connection.cursor() as cursor:
        for statement in [*drop, *create] if enabled else drop:
            cursor.execute(statement)


@pytest.fixture(scope="session")
def _migrated_database(django_db_setup, django_db_blocker):
    """The test database as the migrations left it, serialized.

    pytest-django serializes it when it creates the database, because the browser tests ask
    for `django_db_serialized_rollback`; it keeps the copy on the connection object. Django
    keeps connections per thread, but per async context while an event loop runs in the
    thread, and Playwright's sync API runs one in the main thread: once Playwright is up,
    test code gets another connection object, without the copy (so pytest-django's own
    serialized rollback silently does nothing in browser tests). The copy is therefore
    taken here, before Playwright starts (see `playwright` below).
    """
    from django.db import connection

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None:
        with django_db_blocker.unblock():
            contents = connection.creation.serialize_db_to_string()
    return contents


@pytest.fixture(scope="session")
def playwright(_migrated_database, playwright):
    """pytest-playwright's Playwright, started after the database copy was taken."""
    return playwright


@pytest.fixture
def _migrated_data_kept(_migrated_database, django_db_blocker):
    """Set up before pytest-django's transactional database, torn down after its flush.

    Before: if an earlier transactional test emptied the database, the data migrations'
    rows are missing; they are loaded again.
    After: the flush has emptied the tables (and post_migrate has re-created content types
    and permissions under new keys); the database is reloaded as migrated, append-only
    triggers included, so later tests find it as they expect.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        if not _has_migrated_data():
            _reload_migrated_data(_migrated_database)
    yield
    with django_db_blocker.unblock():
        _reload_migrated_data(_migrated_database)
        # Django closed its connections after the flush; close this one too, or PostgreSQL
        # refuses to drop the test database at the end of the session.
        connection.close()


def _has_migrated_data():
    from qingshen.audit_trail.models import ChainHead

    return ChainHead.objects.filter(pk=1).exists()  # created by audit_trail migration 0003


def _reload_migrated_data(contents):
    """Empty every table (audit trail included), then load the migrated database's rows.

    The rows come back with their primary keys, so the sequences are moved past them
    (PostgreSQL), as loaddata does; otherwise the next insert would reuse key 1.
    """
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    _set_append_only_triggers(enabled=False)
    try:
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
    finally:
        _set_append_only_triggers(enabled=True)
    connection.creation.deserialize_db_from_string(contents)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)


@pytest.fixture
def transactional_db(_migrated_data_kept, django_db_serialized_rollback, transactional_db, django_db_blocker):
    """pytest-django's transactional_db (which live_server pulls in), made to survive its flush.

    Django empties every table after a transactional test; the audit trail's append-only
    triggers refuse that. The triggers are dropped just before the flush (this fixture's
    teardown runs first) and recreated just after it (`_migrated_data_kept`, set up
    earlier, is torn down later). `django_db_serialized_rollback` makes pytest-django keep a
    copy of the migrated database (see `_migrated_database`).

    Browser tests must get their database through this fixture (request `live_server` or
    `transactional_db`); a `django_db` marker would set the database up before
    `_migrated_data_kept`.
    """
    yield
    with django_db_blocker.unblock():
        _set_append_only_triggers(enabled=False)
