"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

- Chromium is the distribution's /usr/bin/chromium (bin/test installs it); Playwright never
  downloads a browser here. The background-networking flags keep Chromium from phoning home,
  which on this machine only produces refused connections.
- The live server runs in another thread, so these tests use a transactional database: their
  rows are committed, and Django empties every table after each test. The root conftest's
  `transactional_db` makes that work with the append-only audit trail and puts back the rows
  the migrations loaded; here, the copy of the migrated database is taken before Playwright
  starts (see `playwright`).
- Screenshots go to var/screenshots/ (ignored by git); `assert_chinese_rendered` checks that a
  screenshotted page draws its Chinese with a real CJK font.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page

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


# --- Chinese drawn with a real CJK font ----------------------------------------------------------

CJK_SAMPLES = "企业名录"
MISSING_CODE_POINT = "\U0010fffd"  # plane-16 private use: no installed font has a glyph for it


def platform_fonts(page: Page, selector: str) -> list[dict]:
    """The fonts Chromium actually used to draw the element's text (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, f"{selector} not found"
        return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()


_DRAW_GLYPHS = """([selector, samples]) => {
  const family = getComputedStyle(document.querySelector(selector)).fontFamily;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 64;
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  const draw = (text) => {
    ctx.clearRect(0, 0, 64, 64);
    ctx.font = `48px ${family}`;
    ctx.textBaseline = "top";
    ctx.fillStyle = "#000";
    ctx.fillText(text, 8, 8);
    const alpha = [];
    const data = ctx.getImageData(0, 0, 64, 64).data;
    for (let i = 3; i < data.length; i += 4) alpha.push(data[i]);
    return {ink: alpha.filter((a) => a > 0).length, pixels: alpha.join(",")};
  };
  return {family, glyphs: samples.map(draw)};
}"""


def assert_chinese_rendered(page: Page, selector: str) -> None:
    """The element's Chinese is drawn with real CJK glyphs from Noto Sans CJK SC, not tofu.

    Two independent checks, each of which fails when no CJK font is installed:

    1. Which font. Chromium's DevTools protocol (CSS.getPlatformFontsForNode) names the
       platform fonts it used for the element's text and how many glyphs each drew. The
       Chinese text must be drawn by "Noto Sans CJK SC" (the head of the CSS font stack,
       from Debian's fonts-noto-cjk) — every one of its Han characters. Without the font,
       Chromium reports whatever fallback font drew the .notdef boxes instead.
    2. What pixels. In the page, each of 企, 业, 名, 录 is drawn on a canvas with the
       element's computed font-family, and so is U+10FFFD, a code point no installed font
       covers (so it is drawn as the missing-glyph box). Tofu is the same .notdef glyph for
       every missing character: without a CJK font all five drawings are pixel-identical.
       With real glyphs, the four characters differ from each other and from the box.
    """
    text = page.locator(selector).first.inner_text()
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    assert han, f"{selector} shows no Chinese: {text!r}"

    fonts = platform_fonts(page, selector)
    cjk = [f for f in fonts if f["familyName"] == "Noto Sans CJK SC" and not f["isCustomFont"]]
    assert cjk, f"{selector} ({text!r}) was drawn with {fonts}, not Noto Sans CJK SC"
    assert sum(f["glyphCount"] for f in cjk) >= len(han), f"some of {text!r} not drawn by Noto Sans CJK SC: {fonts}"

    result = page.evaluate(_DRAW_GLYPHS, [selector, [*CJK_SAMPLES, MISSING_CODE_POINT]])
    assert result["family"].startswith('"Noto Sans CJK SC"'), result["family"]
    *chinese, missing = result["glyphs"]
    assert all(glyph["ink"] > 0 for glyph in chinese), "a Chinese character drew nothing"
    drawings = {glyph["pixels"] for glyph in chinese}
    distinct = len(drawings)
    assert distinct == len(CJK_SAMPLES), f"{CJK_SAMPLES} drawn with only {distinct} distinct glyph(s): tofu"
    looks_missing = missing["pixels"] in drawings
    assert not looks_missing, "Chinese characters look like the missing-glyph box"


# --- shared by the apps' browser tests (import them from here) ---------------------------------


@pytest.fixture
def accepted_world(transactional_db):
    """A committed CampaignWorld up to 涿州测试企业's accepted project (world.project)."""
    from conftest import CampaignWorld

    return CampaignWorld("accepted")


def open_page(new_context, problems: list) -> Page:
    """A page in a fresh browser context (its own cookies); script errors go to `problems`."""
    page = new_context().new_page()
    page.on("pageerror", lambda error: problems.append(f"script error on {page.url}: {error}"))
    return page


def sign_in_as(page: Page, user) -> Page:
    """Sign the page in as `user` (the tests' common password) and wait for the menu."""
    from playwright.sync_api import expect

    from conftest import PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("登录账号").fill(user.username)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="立即登录").click()
    expect(page.locator("#main-menu")).to_be_visible()
    return page
