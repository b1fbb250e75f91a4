"""统计看板 through the real UI (Debian's Chromium, the live server): 保定市 opens the dashboard
(its ECharts charts drawn on canvases, from the locally served library), follows the overdue
figure of 完成方案制定并提出评估申请 (due 2022-02-01 in 保定) to the enterprises behind it,
exports the list, and sends a reminder; 涿州测试企业 then sees the unread badge and the message
in 消息中心. Screenshot: var/screenshots/supervision-dashboard.png."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from qingshen.core.roles import Role
from tests.browser.conftest import (  # noqa: F401  (fixtures)
    _media_url_for_live_server,
    accepted_world,
    base_url,
    browser_context_args,
    browser_type_launch_args,
    live_server,
    open_page,
    playwright,
    screenshot_dir,
    sign_in_as,
)
from tests.browser.test_county_flow import assert_chinese_rendered

pytestmark = pytest.mark.browser

ENTERPRISE = "涿州测试企业"
STEP = "完成方案制定并提出评估申请"


def test_a_city_follows_an_overdue_figure_exports_and_reminds(accepted_world, live_server, new_context,
                                                              screenshot_dir):
    world, problems = accepted_world, []
    city = open_page(new_context, problems)
    sign_in_as(city, world.user(Role.CITY))
    city.locator("#main-menu").get_by_role("link", name="统计看板", exact=True).click()
    expect(city.locator("#headline")).to_be_visible()
    for chart in ("stages", "overdue", "regions", "industries", "handling", "options"):
        expect(city.locator(f"#chart-{chart} canvas").first).to_be_attached()
    overdue = city.locator("#table-overdue tr[data-kind='evaluation_application']")
    expect(overdue).to_contain_text(STEP)
    expect(overdue.locator("a")).to_have_text("2")  # 涿州 and 莲池, both in 保定
    assert_chinese_rendered(city, "#section-overdue .card-title")
    city.evaluate("document.fonts.ready.then(() => true)")
    city.screenshot(path=screenshot_dir / "supervision-dashboard.png", full_page=True)

    overdue.locator("a").click()
    listing = city.locator("#dashboard-list tbody tr")
    expect(listing).to_have_count(2)
    expect(city.locator("#dashboard-list")).to_contain_text(ENTERPRISE)
    expect(city.locator("#list-scope")).to_contain_text(f"已逾期：{STEP}")

    city.locator("#export-list").click()  # a background job; its page shows the progress
    expect(city).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(city.locator("#job-status")).to_have_text("已完成：2 / 2", timeout=30_000)
    with city.expect_download() as info:
        city.locator("#job-download").click()
    sheet = load_workbook(io.BytesIO(info.value.path().read_bytes())).active
    exported = [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert ENTERPRISE in exported and len(exported) == 2

    city.go_back()  # to the list
    city.locator("#send-reminder").click()
    expect(city.locator(".alert-success")).to_contain_text("已向 2 家企业发送提醒。")

    enterprise = open_page(new_context, problems)
    sign_in_as(enterprise, world.user(Role.ENTERPRISE))
    expect(enterprise.locator("#unread-count")).to_have_text("1")
    enterprise.goto("/notifications/")
    expect(enterprise.get_by_text(f"督办提醒：{STEP}（已逾期）").first).to_be_visible()
    assert not problems, problems
