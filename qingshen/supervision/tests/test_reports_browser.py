"""The departments' reports and the enforcement list through the real UI (Debian's Chromium, the
live server), each party in its own browser context with its own account.

1. 工作总结: 涿州市 opens 统计分析 → 工作总结, writes the campaign's summary over the figures the
   system fills (名单企业, 评估通过 …, due date 保定市 set and its state), presses 报送 with two
   parts left empty (refused, the parts named, the typed text still there), completes and
   submits, and downloads the PDF (read back with pdftotext). 保定市 finds it on 工作总结报送情况
   (按时完成), returns it with a reason; 涿州市 sees the reason on version 2, which carries its
   text, and resubmits.
2. 排污许可联动: 莲池区's permit authority opens 排污许可证变更, records 莲池测试企业's change with a
   PDF of the permit page — a future date first (refused in Chinese, the typed values kept) —
   then 报送 its report; 保定市 sees it on 许可变更情况报送.
3. 执法移交清单: 保定市 opens the list (tabs with their counts), follows 涿州测试企业's
   企业审核履历, exports the list (a background job, then the .xlsx read back with openpyxl) and
   hands the list over to the enforcement department (移交执法部门): a missing recipient is
   refused, then a double click records one hand-over.

Only the facts the pages report on (results, options, dates, letters) are arranged with the
apps' test helpers. Screenshots go to var/screenshots/supervision-reports-*.png.
"""

import io
import re
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from qingshen.campaigns import services as campaigns
from qingshen.campaigns.models import MilestoneKind
from qingshen.core.roles import Role
from qingshen.files.tests.samples import pdf_bytes
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

ZHUOZHOU = "涿州测试企业"
LIANCHI = "莲池测试企业"


# --- the browser ---------------------------------------------------------------------------------


def watched(new_context, problems: list) -> Page:
    """open_page, and what the browser logs as an error (a failed script or resource, the icon
    included) counts too."""
    page = open_page(new_context, problems)

    def console(message):
        if message.type == "error":
            problems.append(f"console error on {page.url}: {message.text} ({message.location.get('url')})")

    page.on("console", console)
    return page


def menu(page: Page, label: str) -> None:
    page.locator("#main-menu").get_by_role("link", name=label, exact=True).click()


def snap(page: Page, directory, name: str) -> None:
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=directory / f"supervision-reports-{name}.png", full_page=True)


def expect_success(page: Page, text: str) -> None:
    expect(page.locator(".alert-success")).to_contain_text(text)


def download(page: Page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.locator(selector).click()
    return info.value.path().read_bytes()


def pdf_text(content: bytes) -> str:
    """The PDF's text as poppler reads it, without line breaks or spaces."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()
    return re.sub(r"\s+", "", text)


def table(page: Page, selector: str) -> dict[str, str]:
    """A one-row table shown as {heading: figure}."""
    headings = page.locator(f"{selector} thead th").all_inner_texts()
    figures = page.locator(f"{selector} tbody td").all_inner_texts()
    return dict(zip(headings, figures, strict=True))


# --- 1. 工作总结 -----------------------------------------------------------------------------------

PROGRESS = "我局召开测试动员会三次，逐家督促企业按期开展清洁生产审核。"
ACHIEVEMENTS = "测试企业实施无低费方案，年节水一百吨。"
PROBLEMS = "个别测试企业对审核重视不够。"
NEXT_STEPS = "下一步加强对测试企业的现场指导。"
REASON = "请补充测试企业方案实施的具体效益（测试）。"
CONFIRM = "报送后不能再修改（上级可退回），确定报送？"


def test_a_county_work_summary_refused_submitted_returned_and_resubmitted(accepted_world, live_server, new_context,
                                                                           screenshot_dir):
    from qingshen.summaries.tests.helpers import arrange

    world, problems, dialogs = accepted_world, [], []
    arrange(world)  # 涿州: evaluation passed, a 无低费 option implemented, a 中高费 proposed
    today = timezone.localdate()
    due = today + timedelta(days=10)
    campaigns.set_milestone(world.user(Role.PROVINCE), world.campaign, kind=MilestoneKind.WORK_SUMMARY,
                            due_date=today + timedelta(days=30))
    campaigns.set_milestone(world.user(Role.CITY), world.campaign, kind=MilestoneKind.WORK_SUMMARY, due_date=due)

    # 涿州市 opens its summary from the menu: the figures are the system's, the due date 保定市's.
    county = watched(new_context, problems)
    county.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    sign_in_as(county, world.user(Role.COUNTY))
    menu(county, "工作总结")
    row = county.locator("#summary-index tbody tr", has_text=world.campaign.name)
    expect(row.locator("td").nth(1)).to_contain_text("未编写")
    row.locator("td").nth(1).get_by_role("link", name="编写").click()
    state = county.locator("#report-state")
    expect(state).to_contain_text("尚未编写")
    expect(state).to_contain_text(f"截止日期：{due.isoformat()}")
    expect(state).to_contain_text("未到期")
    expect(county.locator("#figures .card-title")).to_have_text("系统统计（涿州市）")
    expect(county.locator("#figures")).to_contain_text("实时数据")
    figures = table(county, "#overview-table")
    assert {key: figures[key] for key in ("名单企业", "已通知", "已接受任务", "评估通过", "评估不通过")} == {
        "名单企业": "1", "已通知": "1", "已接受任务": "1", "评估通过": "1", "评估不通过": "0"}, figures
    expect(county.locator("#options-table tbody tr", has_text="无低费")).to_contain_text("2.5")
    assert_chinese_rendered(county, "#figures .card-title")

    # Half written, 报送 is refused: the empty parts named, what was typed still there.
    form = county.locator("#summary-form")
    form.get_by_label("工作开展情况").fill(PROGRESS)
    form.get_by_label("取得的成效").fill(ACHIEVEMENTS)
    county.locator("#submit-button").click()
    expect(form.locator(".alert-danger")).to_contain_text("表单有 2 处需要修改")
    expect(form.locator(".invalid-feedback")).to_have_text(["请填写“存在的问题”后再报送。", "请填写“下一步工作”后再报送。"])
    expect(form.get_by_label("工作开展情况")).to_have_value(PROGRESS)
    expect(form.get_by_label("取得的成效")).to_have_value(ACHIEVEMENTS)
    expect(state).to_contain_text("第 1 版 · 草稿")  # the typed text was saved as the draft
    # ... so the browser's copy is what the server shows: nothing to offer back (only the hidden
    # stamp changed — drafts.js leaves the server's hidden fields alone; it offered 恢复 before,
    # and restoring the old stamp made the next 报送 look stale).
    expect(form.locator(".draft-offer")).to_have_count(0)
    snap(county, screenshot_dir, "1-summary-refused")

    form.get_by_label("存在的问题").fill(PROBLEMS)
    form.get_by_label("下一步工作").fill(NEXT_STEPS)
    county.locator("#submit-button").click()
    expect_success(county, "已报送涿州市生态环境分局 工作总结（第 1 版）。")
    expect(state).to_contain_text("第 1 版 · 已报送")
    expect(state).to_contain_text("按时完成")
    expect(county.locator("#summary-form")).to_have_count(0)
    expect(county.locator("#report-text")).to_contain_text(PROGRESS)
    expect(county.locator("#figures")).to_contain_text("报送时冻结的数据")
    assert dialogs == [CONFIRM, CONFIRM], dialogs

    content = download(county, "#pdf-link")
    assert content.startswith(b"%PDF"), content[:20]
    text = pdf_text(content)
    assert f"涿州市生态环境分局关于{world.campaign.name}工作总结" in text and PROGRESS in text, text
    assert "草稿" not in text, text

    # 保定市 reads it on 工作总结报送情况 and returns it with a reason.
    city = sign_in_as(watched(new_context, problems), world.user(Role.CITY))
    menu(city, "工作总结报送情况")
    zhuozhou = city.locator("#received-table tr[data-organization='130681']")
    expect(zhuozhou).to_contain_text("第 1 版 · 已报送")
    expect(zhuozhou).to_contain_text(due.isoformat())
    expect(zhuozhou.locator("td.state-on_time")).to_have_text("按时完成")
    lianchi = city.locator("#received-table tr[data-organization='130606']")
    expect(lianchi).to_contain_text("未编写")
    expect(lianchi.locator("td.state-open")).to_have_text("未到期")
    assert_chinese_rendered(city, "#received-table thead th")
    snap(city, screenshot_dir, "2-summaries-received")
    zhuozhou.get_by_role("link", name="查看").click()
    expect(city.locator("#report-text")).to_contain_text(NEXT_STEPS)
    city.locator("#return-button").click()
    expect(city.locator("#return-form .invalid-feedback")).to_have_text("请填写退回原因。")
    city.locator("#return-form").get_by_label("退回原因").fill(REASON)
    city.locator("#return-button").click()
    expect_success(city, "已退回涿州市生态环境分局 工作总结（第 1 版），对方将修改后重新报送。")
    expect(city.locator("#report-state")).to_contain_text("已退回")
    expect(city.locator("#report-state")).to_contain_text(REASON)
    expect(city.locator("#return-form")).to_have_count(0)

    # 涿州市: the reason, and version 2 carrying version 1's text; it is resubmitted.
    menu(county, "工作总结")
    row.locator("td").nth(1).get_by_role("link", name="编写").click()
    expect(county.locator("#return-reason")).to_contain_text("第 1 版已被退回")
    expect(county.locator("#return-reason")).to_contain_text(REASON)
    expect(state).to_contain_text("第 2 版 · 草稿")
    for label, text in (("工作开展情况", PROGRESS), ("取得的成效", ACHIEVEMENTS), ("存在的问题", PROBLEMS),
                        ("下一步工作", NEXT_STEPS)):
        expect(form.get_by_label(label)).to_have_value(text)
    expect(county.locator("#versions tbody tr").nth(1)).to_contain_text(REASON)
    form.get_by_label("取得的成效").fill(ACHIEVEMENTS + "测试企业年经济效益三万元。")
    county.locator("#submit-button").click()
    expect_success(county, "已报送涿州市生态环境分局 工作总结（第 2 版）。")
    expect(state).to_contain_text("第 2 版 · 已报送")

    city.goto("/summaries/received/")
    expect(zhuozhou).to_contain_text("第 2 版 · 已报送")
    expect(zhuozhou.locator("td.state-on_time")).to_have_text("按时完成")  # judged by the first submission
    zhuozhou.get_by_role("link", name="查看").click()
    expect(city.locator("#report-text")).to_contain_text("测试企业年经济效益三万元。")
    expect(city.locator("#versions tbody tr", has_text="第 1 版")).to_contain_text(REASON)
    assert not problems, problems


# --- 2. 排污许可联动 -------------------------------------------------------------------------------

PERMIT_NUMBER = "91130606TEST001P"
REQUIREMENT = "白洋淀流域涉水企业2022年6月30日前通过清洁生产审核验收"


def test_a_permit_authority_records_a_change_and_reports_to_the_city(accepted_world, live_server, new_context,
                                                                     screenshot_dir, tmp_path):
    from qingshen.permits.tests.helpers import authority, categorise, dates

    world, problems = accepted_world, []
    today = timezone.localdate()
    categorise(world, lianchi="key")
    updated_by, reported_by = today + timedelta(days=10), today + timedelta(days=20)
    dates(world, updated=updated_by, reported=reported_by)
    permit_page = tmp_path / "许可证副本（测试）.pdf"
    permit_page.write_bytes(pdf_bytes())

    # 莲池区's permit authority: its one 重点管理 enterprise, not yet changed.
    page = sign_in_as(watched(new_context, problems), authority(world, "130606"))
    menu(page, "排污许可证变更")
    expect(page.locator("#change-counts")).to_contain_text("应变更 1 家")
    row = page.locator("#change-table tbody tr", has_text=LIANCHI)
    expect(page.locator("#change-table tbody tr")).to_have_count(1)
    expect(row).to_contain_text("重点管理")
    expect(row).to_contain_text("未变更")
    expect(row).to_contain_text(updated_by.isoformat())
    expect(row).to_contain_text("未到期")
    assert_chinese_rendered(page, "#change-table thead th")
    row.get_by_role("link", name="登记变更").click()

    # A date after today is refused; the values typed are kept (the file must be chosen again).
    form = page.locator("#change-form")
    expect(form.get_by_label("列入的环境管理要求")).to_have_value(REQUIREMENT)
    future = today + timedelta(days=3)
    form.get_by_label("变更日期").fill(future.isoformat())
    form.get_by_label("排污许可证编号").fill(PERMIT_NUMBER)
    form.get_by_label("备注").fill("测试：按审核要求变更")
    form.get_by_label("变更后的许可证页面").set_input_files(str(permit_page))
    form.get_by_role("button", name="保存").click()
    expect(form.locator(".invalid-feedback")).to_have_text(
        f"变更日期 {future.isoformat()} 晚于今天，请填写许可证实际变更的日期。")
    expect(form.get_by_label("变更日期")).to_have_value(future.isoformat())
    expect(form.get_by_label("排污许可证编号")).to_have_value(PERMIT_NUMBER)
    expect(form.get_by_label("列入的环境管理要求")).to_have_value(REQUIREMENT)
    expect(form.get_by_label("备注")).to_have_value("测试：按审核要求变更")
    expect(form).to_contain_text("浏览器不会保留已选择的文件，如需上传请重新选择。")
    snap(page, screenshot_dir, "3-permit-refused")

    changed_on = today - timedelta(days=2)
    form.get_by_label("变更日期").fill(changed_on.isoformat())
    form.get_by_label("变更后的许可证页面").set_input_files(str(permit_page))
    form.get_by_role("button", name="保存").click()
    expect_success(page, f"已登记“{LIANCHI}”的排污许可证变更。")
    expect(page.locator("#change-counts")).to_contain_text("已变更 1")
    expect(row).to_contain_text("已变更")
    expect(row).to_contain_text(changed_on.isoformat())
    expect(row).to_contain_text(PERMIT_NUMBER)
    expect(row).to_contain_text("按时完成")
    stored = page.request.get(row.get_by_role("link", name=permit_page.name).get_attribute("href"))
    assert stored.ok and stored.body().startswith(b"%PDF")
    row.get_by_role("link", name="更正").click()  # the correction form starts from what was recorded
    expect(page.locator("#change-form .card-title")).to_have_text("更正许可证变更（当前第 1 版）")
    expect(form.get_by_label("变更日期")).to_have_value(changed_on.isoformat())
    expect(form.get_by_label("排污许可证编号")).to_have_value(PERMIT_NUMBER)
    expect(page.locator("#change-versions")).to_contain_text(f"第 1 版 · {changed_on.isoformat()} · {PERMIT_NUMBER}")

    # Its report: to 保定市 (市生态环境局), due on the province's date.
    menu(page, "许可变更情况报送")
    status = page.locator("#report-status")
    expect(status).to_contain_text("报送对象：市生态环境局")
    expect(status).to_contain_text(f"截止日期：{reported_by.isoformat()}")
    expect(status).to_contain_text("尚未起草")
    expect(page.locator("#report-lines tbody tr", has_text=LIANCHI)).to_contain_text("已变更")
    page.get_by_role("button", name="报送市生态环境局").click()
    expect_success(page, "已报送第 1 版排污许可证变更情况。")
    expect(status).to_contain_text("当前第 1 版：已报送")
    expect(page.locator("#report-form")).to_have_count(0)

    # 保定市 sees it.
    city = sign_in_as(watched(new_context, problems), world.user(Role.CITY))
    menu(city, "许可变更情况报送")
    received = city.locator("#received-table tbody tr", has_text="莲池")
    expect(received).to_contain_text("第 1 版")
    expect(received).to_contain_text("已报送")
    expect(received).to_contain_text("1 / 1")
    expect(received).to_contain_text(reported_by.isoformat())
    expect(received).to_contain_text("按时完成")
    snap(city, screenshot_dir, "4-permits-received")
    received.get_by_role("link", name="查看 / 退回").click()
    expect(city.locator("#report-status")).to_contain_text("第 1 版：已报送")
    expect(city.locator("#report-lines tbody tr", has_text=LIANCHI)).to_contain_text(PERMIT_NUMBER)
    expect(city.locator("#return-form")).to_be_visible()
    assert not problems, problems


# --- 3. 执法移交清单 -------------------------------------------------------------------------------

RECIPIENT = "保定市生态环境综合执法支队（测试）"
TABS = {"all": ("全部", 2), "refused": ("拒不开展（未接受任务）", 1), "failed": ("审核未通过", 1),
        "overdue": ("逾期未完成", 2), "suspended": ("因停产未开展", 1)}


def test_a_city_reads_exports_and_hands_over_the_enforcement_list(accepted_world, live_server, new_context,
                                                                  screenshot_dir):
    from qingshen.enforcement.models import EnforcementHandover
    from qingshen.enforcement.tests.helpers import (
        calendar,
        decided,
        dispatched_letter,
        set_status,
    )

    world, problems = accepted_world, []
    calendar(world, disclosure=-2)
    dispatched_letter(world, world.e_lianchi)  # 拒不开展 and 逾期未完成 …
    set_status(world.e_lianchi, "suspended")  # … and 因停产未开展
    decided(world.project, "failed")  # 涿州: 审核未通过 and 逾期未完成 (nothing disclosed)
    set_status(world.e_changan, "closed")  # 石家庄's, not 保定's

    city = sign_in_as(watched(new_context, problems), world.user(Role.CITY))
    menu(city, "执法移交清单")
    for key, (label, count) in TABS.items():
        tab = city.locator(f"#category-tabs a[data-category='{key}']")
        expect(tab).to_contain_text(label)
        expect(tab.locator(".badge")).to_have_text(str(count))
    lines = city.locator("#enforcement-table tbody tr")
    expect(lines).to_have_count(2)
    expect(city.locator("#enforcement-table")).not_to_contain_text("长安测试企业")
    expect(lines.filter(has_text=LIANCHI)).to_contain_text("拒不开展（未接受任务）")
    expect(lines.filter(has_text=LIANCHI)).to_contain_text("停产")
    expect(lines.filter(has_text=ZHUOZHOU)).to_contain_text("评估不通过")
    assert_chinese_rendered(city, "#category-tabs .nav-link.active")
    snap(city, screenshot_dir, "5-enforcement-list")

    city.locator("#category-tabs a[data-category='failed']").click()
    expect(lines).to_have_count(1)
    expect(lines.first).to_contain_text(ZHUOZHOU)

    # 涿州测试企业's 企业审核履历.
    lines.first.get_by_role("link", name="审核履历").click()
    expect(city.locator("#history-facts")).to_contain_text(ZHUOZHOU)
    expect(city.locator("#history-categories .badge")).to_have_text(["审核未通过", "逾期未完成"])
    history = city.locator("#history-table tbody tr")
    expect(history.filter(has_text="评估审核结果：不通过")).to_have_count(1)
    expect(history.locator("td:nth-child(2)").filter(has_text="告知书").first).to_be_visible()
    city.go_back()

    # The export of the whole list: a background job, then the .xlsx.
    city.locator("#category-tabs a[data-category='all']").click()
    expect(lines).to_have_count(2)
    city.locator("#export-enforcement").click()
    expect(city).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(city.locator("#job-status")).to_have_text("已完成：2 / 2", timeout=30_000)
    book = load_workbook(io.BytesIO(download(city, "#job-download")))
    assert book.sheetnames == ["汇总", *(label for key, (label, _) in TABS.items() if key != "all"), "企业审核履历"]
    assert sorted(row[0] for row in book["汇总"].iter_rows(min_row=4, values_only=True)) == sorted([LIANCHI, ZHUOZHOU])
    city.go_back()

    # 移交执法部门: without a recipient it is refused (the note kept); a double click records one.
    city.locator("#hand-over").click()
    counts = dict(zip(city.locator("#handover-counts td:first-child").all_inner_texts(),
                      city.locator("#handover-counts td:last-child").all_inner_texts(), strict=True))
    assert counts == {label: str(count) for label, count in TABS.values()}, counts
    form = city.locator("#handover-form")
    expect(form.get_by_label("移交日期")).to_have_value(timezone.localdate().isoformat())
    form.get_by_label("说明").fill("冀测移〔2022〕1号（测试）")
    city.locator("#record-handover").click()
    expect(form.locator(".invalid-feedback")).to_have_text("请填写接收单位（如 保定市生态环境综合执法支队）。")
    expect(form.get_by_label("说明")).to_have_value("冀测移〔2022〕1号（测试）")
    form.get_by_label("接收单位").fill(RECIPIENT)
    city.locator("#record-handover").dblclick()
    expect_success(city, f"已登记向{RECIPIENT}移交 2 家企业的清单，移交时的清单和 Excel 已保存。")
    expect(city.locator("#handover-facts")).to_contain_text("全部（2 家企业）")
    expect(city.locator("#handover-lines tbody tr")).to_have_count(2)
    snap(city, screenshot_dir, "6-handover")
    frozen = load_workbook(io.BytesIO(download(city, "#handover-file")))
    assert frozen.sheetnames == book.sheetnames
    city.go_back()  # the form as it was sent, and 登记移交 once more: recognised, not recorded again
    expect(form.get_by_label("接收单位")).to_have_value(RECIPIENT)
    city.locator("#record-handover").click()
    expect(city.locator(".alert-info")).to_have_text("该移交已登记过（重复提交），未重复登记。")

    city.goto("/enforcement/")
    expect(city.locator("#handover-records")).to_have_text("移交记录（1）")
    city.locator("#handover-records").click()
    expect(city.locator("#handover-list tbody tr")).to_have_count(1)
    expect(city.locator("#handover-list tbody tr").first).to_contain_text(RECIPIENT)
    assert EnforcementHandover.objects.count() == 1
    assert not problems, problems
