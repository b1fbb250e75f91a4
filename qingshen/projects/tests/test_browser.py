"""The enterprise's first day, through the real UI in Debian's Chromium, and the county's view
of it: 涿州测试企业 activates its account with the code on its letter, opens 接受清审任务 →
【详情】, reads the requirements, mistypes its mobile, accepts, and sees its 项目编号; then
涿州市生态环境分局 sees it under 任务统计 as notified and accepted.

Uses the browser set-up of tests/browser (Debian's Chromium, the live server); screenshots go
to var/screenshots/enterprise-*.png.
"""

import pytest
from playwright.sync_api import Page, expect

from qingshen.core.roles import Role
from tests.browser.conftest import (  # noqa: F401  (fixtures)
    _media_url_for_live_server, base_url, browser_context_args, browser_type_launch_args, live_server, playwright,
    screenshot_dir,
)
from tests.browser.test_county_flow import assert_chinese_rendered

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Zhuozhou-Qy-2021!"
COUNTY_PASSWORD = "Test-Passw0rd!"  # conftest.PASSWORD


@pytest.fixture
def letter_world(transactional_db):
    """Committed: the campaign notified down to 涿州市, whose letter to 涿州测试企业 carries a live
    activation code (the enterprise has not activated yet)."""
    from conftest import CampaignWorld, blank_pdf
    from qingshen.notices import services as notices

    world = CampaignWorld("verified")
    notices.issue(world.user(Role.PROVINCE), world.campaign)
    notices.dispatch(world.user(Role.CITY), world.notice_task("130600"), attested=True)
    county, task = world.user(Role.COUNTY), world.notice_task("130681")
    world.letter, _, world.code = notices.prepare_letter(county, task, world.member(world.e_zhuozhou))
    notices.attach_stamped_copy(county, world.letter, blank_pdf())
    notices.dispatch(county, task, attested=True)
    return world


def snap(page: Page, directory, name: str) -> None:
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=directory / f"enterprise-{name}.png", full_page=True)


def test_enterprise_activates_and_accepts(letter_world, live_server, page: Page, screenshot_dir):
    site = live_server.url
    world = letter_world

    # 1. 激活账号 with the letter's account and code; a wrong code first.
    page.goto(f"{site}/projects/activate/")
    expect(page.get_by_role("heading", name="激活企业账号")).to_be_visible()
    assert_chinese_rendered(page, "h2.h3")
    snap(page, screenshot_dir, "1-activate")
    page.get_by_label("登录账户").fill("QY1306810001")
    page.get_by_label("激活码").fill("AAAA-BBBB-CCCC")
    page.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("确认新密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="激活并登录").click()
    expect(page.locator(".alert-danger")).to_contain_text("登录账户或激活码不正确。还可尝试 4 次。")
    snap(page, screenshot_dir, "2-wrong-code")
    page.get_by_label("激活码").fill(world.code.lower().replace("-", ""))
    page.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("确认新密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="激活并登录").click()

    # 2. Signed in, on 接受清审任务: the campaign waits.
    expect(page).to_have_url(f"{site}/projects/tasks/")
    expect(page.locator(".alert-success")).to_contain_text("账号已激活")
    expect(page.locator("#main-menu")).to_contain_text("接受清审任务")
    row = page.locator("#task-table tbody tr").first
    expect(row).to_contain_text("测试批次清洁生产审核")
    expect(row).to_contain_text("待接受")
    snap(page, screenshot_dir, "3-task-list")

    # 3. 【详情】: the requirements of every level, the letter, the dates; a bad mobile first.
    row.get_by_role("link", name="详情").click()
    expect(page.locator("#task-level-province")).to_contain_text("按附件要求开展清洁生产审核。")
    expect(page.locator("#task-level-county")).to_be_visible()
    expect(page.locator(".deadlines")).to_contain_text("2022年2月1日")
    expect(page.get_by_role("link", name="下载盖章版告知书")).to_be_visible()
    snap(page, screenshot_dir, "4-task-detail")
    page.get_by_label("企业项目负责人").fill("张三")
    page.get_by_label("移动电话（可接受短信）").fill("0312-1234567")
    page.get_by_role("button", name="确认").click()
    expect(page.locator("#accept-form .invalid-feedback")).to_have_text("请填写能接收短信的 11 位手机号码。")
    expect(page.get_by_label("企业项目负责人")).to_have_value("张三")
    snap(page, screenshot_dir, "5-bad-mobile")
    page.get_by_label("移动电话（可接受短信）").fill("13800138000")
    page.get_by_role("button", name="确认").click()

    # 4. The project page, with its number.
    expect(page.locator(".alert-success")).to_have_text("已接受清审任务，项目编号 202113068100001。")
    expect(page.locator("#project-number")).to_have_text("202113068100001")
    assert_chinese_rendered(page, "#project-facts dt")
    snap(page, screenshot_dir, "6-project")

    # 5. The county's 任务统计: notified and accepted; the number opens the list.
    page.context.clear_cookies()
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("登录账号").fill("130681")
    page.get_by_label("密码", exact=True).fill(COUNTY_PASSWORD)
    page.get_by_role("button", name="立即登录").click()
    page.locator("#main-menu").get_by_role("link", name="任务统计").click()
    expect(page).to_have_url(f"{site}/projects/statistics/")
    page.get_by_role("link", name="测试批次清洁生产审核").click()
    row = page.locator("tr[data-region='130681']")
    expect(row.locator("td")).to_have_text(["涿州市", "1", "1", "1", "1", "1", "0"])
    snap(page, screenshot_dir, "7-statistics")
    row.locator("td").nth(5).get_by_role("link").click()
    expect(page.locator("#enterprise-table tbody")).to_contain_text("202113068100001")
    expect(page.locator("#enterprise-table tbody")).to_contain_text("13800138000")
    snap(page, screenshot_dir, "8-statistics-accepted")
