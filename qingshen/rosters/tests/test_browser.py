"""The 企业清单's per-row actions in a real browser (Debian's Chromium through Playwright): htmx
opens the 标注“否” form beside the row, the upload goes as multipart, and only that enterprise's
<tbody> is replaced. Screenshots in var/screenshots/."""

import pytest
from playwright.sync_api import Page, expect

from conftest import CampaignWorld, PASSWORD
from qingshen.campaigns.models import CampaignEnterprise
from qingshen.core.roles import Role
from qingshen.rosters import services
from qingshen.rosters.models import RosterDecision
from tests.browser.conftest import (  # noqa: F401  (the browser fixtures, shared with tests/browser)
    _media_url_for_live_server, base_url, browser_context_args, browser_type_launch_args, live_server, playwright,
    screenshot_dir,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def dispatched(transactional_db):
    world = CampaignWorld("published")
    services.dispatch(world.user(Role.CITY), world.roster_task("130600"), attested=True)
    return world


def sign_in(page: Page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_marking_an_enterprise_no_in_the_browser(dispatched, page: Page, screenshot_dir, tmp_path):
    task = dispatched.roster_task("130681")
    member = dispatched.member(dispatched.e_zhuozhou)
    evidence = tmp_path / "停产证明.pdf"
    from conftest import blank_pdf

    evidence.write_bytes(blank_pdf().read())
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(page, "130681")
    page.goto(f"/rosters/{task.pk}/members/")
    row = page.locator(f"#member-{member.pk}")
    row.get_by_role("link", name="标注“否”").click()
    form = row.locator("form.exclude-form")
    expect(form).to_be_visible()
    assert page.url.endswith(f"/rosters/{task.pk}/members/")  # the form opened in place
    form.get_by_role("button", name="确定").click()
    expect(row.get_by_text("请填写详细情况说明。")).to_be_visible()
    form = row.locator("form.exclude-form")
    form.locator("textarea[name=reason]").fill("该企业已于2021年8月停产。")
    form.locator("input[name=evidence]").set_input_files(str(evidence))
    page.screenshot(path=str(screenshot_dir / "roster-exclude-form.png"), full_page=True)
    form.get_by_role("button", name="确定").click()
    expect(row.get_by_text("已将 涿州测试企业 标注为“否”。")).to_be_visible()
    expect(row.locator("form")).to_have_count(1)  # only 恢复纳入 remains
    expect(row.get_by_role("button", name="恢复纳入")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "roster-excluded.png"), full_page=True)
    member.refresh_from_db()
    assert member.status == CampaignEnterprise.Status.EXCLUDED
    decision = RosterDecision.objects.get(member=member)
    assert decision.evidence.get().original_name == "停产证明.pdf"
    assert not problems, problems
