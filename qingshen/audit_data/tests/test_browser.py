"""The enterprise fills its water data and a water balance through the real UI (Debian's
Chromium, the live server): a year of water with its reuse rate, an edit in place of the row
(htmx) refused for a negative value and then saved, and a balance whose deviation appears as
lines are added, and typing kept across a timed-out session. Screenshots go to var/screenshots/audit-data-*.png."""

import re

import pytest
from playwright.sync_api import Page, expect

from qingshen.core.roles import Role
from tests.browser.conftest import (  # noqa: F401  (fixtures)
    _media_url_for_live_server, base_url, browser_context_args, browser_type_launch_args, live_server, playwright,
    screenshot_dir,
)
from tests.browser.test_county_flow import assert_chinese_rendered

pytestmark = pytest.mark.browser


@pytest.fixture
def accepted_world(transactional_db):
    from conftest import CampaignWorld

    return CampaignWorld("accepted")


def sign_in(page: Page, world) -> None:
    """On the login page (the first time, or after the session timed out)."""
    from conftest import PASSWORD

    page.get_by_label("登录账号").fill(world.user(Role.ENTERPRISE).username)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="立即登录").click()
    expect(page.locator("#main-menu")).to_be_visible()


def snap(page: Page, directory, name: str) -> None:
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=directory / f"audit-data-{name}.png", full_page=True)


def test_the_enterprise_fills_water_data_and_a_balance(accepted_world, live_server, page: Page, screenshot_dir):
    site, project = live_server.url, accepted_world.project
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{site}/accounts/login/")
    sign_in(page, accepted_world)

    # 1. 审核数据 → 取水、重复利用和排水: add 2021.
    page.goto(f"{site}/audit-data/{project.pk}/")
    expect(page.locator("#audit-data-tables")).to_contain_text("原辅材料和能源消耗")
    expect(page.locator(".deadlines")).to_contain_text("时间节点")
    page.locator("#table-water").get_by_role("link", name="取水、重复利用和排水").click()
    form = page.locator("#add-form")
    for label, value in (("年份", "2021"), ("地表水取水量（m³/a）", "0"), ("地下水取水量（m³/a）", "8000"),
                         ("自来水取水量（m³/a）", "2000"), ("其他水源取水量（m³/a）", "0"), ("重复利用水量（m³/a）", "30000"),
                         ("废水排放量（m³/a）", "7000"), ("产品产量", "500"), ("产品产量单位", "t")):
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_role("button", name="添加").click()
    row = page.locator("#data-table tbody tr").first
    expect(row.locator(".reuse-rate")).to_have_text("75.00 %")
    expect(row.locator(".per-product")).to_have_text("20 m³/t")
    assert_chinese_rendered(page, "h2.page-title")
    snap(page, screenshot_dir, "1-water")

    # 2. 修改 in place: a negative intake is refused beside the field, the typing kept; then saved.
    row.get_by_role("link", name="修改").click()
    editing = page.locator("tr.editing")
    expect(editing.get_by_label("自来水取水量（m³/a）", exact=True)).to_have_value("2000")
    editing.get_by_label("自来水取水量（m³/a）", exact=True).fill("-5")
    editing.get_by_label("重复利用水量（m³/a）", exact=True).fill("40000")
    editing.get_by_role("button", name="保存").click()
    expect(page.locator("tr.editing")).to_contain_text("自来水取水量（m³/a）不能为负数。")
    expect(page.locator("tr.editing").get_by_label("重复利用水量（m³/a）", exact=True)).to_have_value("40000")
    snap(page, screenshot_dir, "2-refused-in-place")
    page.locator("tr.editing").get_by_label("自来水取水量（m³/a）", exact=True).fill("2000")
    page.locator("tr.editing").get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存：2021年取水")
    expect(page.locator("#data-table tbody tr").first.locator(".reuse-rate")).to_have_text("80.00 %")

    # 3. 水平衡: a balance, then its lines; the deviation follows.
    page.goto(f"{site}/audit-data/{project.pk}/water-balance/")
    page.locator("#add-form").get_by_label("名称").fill("测试印染车间水平衡（编造）")
    page.locator("#add-form").get_by_role("button", name="添加").click()
    expect(page.locator("#verdict")).to_contain_text("尚未填写投入和产出")
    for direction, item, quantity in (("投入", "新鲜水", "120"), ("产出", "废水", "100"), ("产出", "蒸发损失", "14")):
        add = page.locator("#add-form")
        add.get_by_label("方向").select_option(label=direction)
        add.get_by_label("项目").fill(item)
        add.get_by_label("数量").fill(quantity)
        add.get_by_label("单位").fill("m³/d")
        add.get_by_role("button", name="添加").click()
        expect(page.locator(".alert-success")).to_contain_text(item)
    expect(page.locator("#deviation")).to_have_text("+5.00 %")
    expect(page.locator("#verdict")).to_contain_text("平衡")
    snap(page, screenshot_dir, "3-balance")

    # 4. The session times out while a line is being typed: the post goes to the login page, and
    #    after signing in again the typed line is offered back (恢复).
    page.locator("#add-form").get_by_label("项目").fill("测试冷却补水（编造）")
    page.locator("#add-form").get_by_label("数量").fill("6")
    page.context.clear_cookies(name="sessionid")  # the session ended (timed out)
    page.locator("#add-form").get_by_role("button", name="添加").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    sign_in(page, accepted_world)
    expect(page.locator("#add-form .draft-offer")).to_contain_text("未保存的填写内容")
    page.locator("#add-form .draft-offer").get_by_role("button", name="恢复").click()
    expect(page.locator("#add-form").get_by_label("项目")).to_have_value("测试冷却补水（编造）")
    expect(page.locator("#add-form").get_by_label("数量")).to_have_value("6")

    # 5. … and an edit in place of a row, posted after a timeout, leads to the login page and
    #    back to that row's edit page (not the login page drawn inside the table).
    page.goto(f"{site}/audit-data/{project.pk}/water/")
    page.locator("#data-table tbody tr").first.get_by_role("link", name="修改").click()
    expect(page.locator("tr.editing")).to_be_visible()  # (its answer renews the session cookie)
    page.context.clear_cookies(name="sessionid")  # the session ended (timed out)
    page.locator("tr.editing").get_by_role("button", name="保存").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/audit-data/water/\d+/edit/"))
    sign_in(page, accepted_world)
    expect(page.locator("#row-form")).to_contain_text("修改取水、重复利用和排水")
    assert not problems, problems
