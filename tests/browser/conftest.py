"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

- Chromium is the distribution's /usr/bin/chromium (bin/test installs it); Playwright never
  downloads a browser here. The background-networking flags keep Chromium from phoning home,
  which on this machine only produces refused connections.
- The live server runs in another thread, so these tests use a transactional database: their
  rows are committed, and Django empties every table after each test. The root conftest's
  `transactional_db` makes that work with the append-only audit trail and puts back the rows
  the migrations loaded; here, the copy of the migrated database is taken before Playwright
  starts (see `playwright`).
- Screenshots go to var/screenshots/ (ignored by git).
"""

import os
from pathlib import Path

import pytest

# pytest-playwright's sync API runs an event loop in the main thread, beside the live server.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

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
    state = {"enabled": True}

    def restore():
        if state["enabled"]:
            state["enabled"] = False
            override.disable()

    yield restore
    restore()  # in case live_server failed to start


@pytest.fixture(scope="session")
def live_server(django_db_setup, _media_url_for_live_server, live_server):
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


@pytest.fixture(scope="session")
def playwright(_migrated_database, playwright):
    """pytest-playwright's Playwright, started after the database copy was taken."""
    return playwright
