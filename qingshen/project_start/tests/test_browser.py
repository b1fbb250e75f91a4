"""In a browser: the enterprise completes its project start step by step and submits it.

Debian's Chromium through Playwright, against the live server (see tests/browser/conftest.py,
whose fixtures are reused here). Screenshots of each step go to var/screenshots/.
"""

import io

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfWriter

from conftest import PASSWORD
from qingshen.project_start.models import EiaApproval, Product, ProjectStart
from tests.browser.conftest import (  # noqa: F401  (fixtures)
    _media_url_for_live_server, assert_chinese_rendered, base_url, browser_context_args, browser_type_launch_args,
    live_server, playwright, screenshot_dir,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def accepted(transactional_db):
    from conftest import CampaignWorld

    return CampaignWorld("accepted")


def pdf_file(tmp_path, name):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": name})
    path = tmp_path / name
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_enterprise_completes_and_submits_the_project_start(accepted, live_server, page: Page, screenshot_dir,
                                                            tmp_path):
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())  # 提交's confirmation
    project = accepted.project

    page.goto(f"{live_server.url}/accounts/login/?next=/project-start/")
    page.get_by_label("登录账号").fill(accepted.user("enterprise").username)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="立即登录").click()
    page.locator("#start-table").get_by_role("link", name="详情").click()

    # 1 基本信息: prefilled from the registry; the rest typed, then 下一步
    expect(page.locator("#start-steps .step-item.active")).to_have_text("基本信息")
    expect(page.get_by_label("企业名称")).to_have_value("涿州测试企业")
    page.get_by_label("法人").fill("庄测试")
    page.locator("#id_town").fill("测试镇")
    page.locator("#id_village").fill("测试村")
    page.get_by_label("地址").fill("涿州市测试镇测试村1号")
    page.get_by_label("企业性质").select_option("私营有限责任公司")
    page.get_by_label("从业人数").fill("35")
    page.get_by_label("年工作日（天）").fill("300")
    page.screenshot(path=str(screenshot_dir / "project-start-1-basic.png"), full_page=True)
    assert_chinese_rendered(page, "#start-steps")
    page.get_by_role("button", name="下一步").click()

    # 2 产品信息: the form adds a row as 下一步 moves on
    expect(page.locator("#start-steps .step-item.active")).to_have_text("产品信息")
    page.get_by_label("产品名称").fill("测试棉布")
    page.get_by_label("计量单位").fill("万米")
    page.get_by_label("设计产能").fill("500")
    for year, value in ((2018, "420"), (2019, "450"), (2020, "480")):
        page.get_by_label(f"{year}年实际产量").fill(value)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#rows-table")).to_contain_text("测试棉布")
    page.screenshot(path=str(screenshot_dir / "project-start-2-products.png"), full_page=True)
    page.get_by_role("button", name="下一步").click()

    # 3–5 with their files
    expect(page.locator("#start-steps .step-item.active")).to_have_text("环境影响评价信息")
    page.get_by_label("批复文号").fill("涿环审〔2015〕1号")
    page.get_by_label("批复日期").fill("2015-06-01")
    page.get_by_label("审批部门").fill("涿州市环境保护局")
    page.get_by_label("环评批复文件").set_input_files(pdf_file(tmp_path, "环评批复.pdf"))
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("#start-steps .step-item.active")).to_have_text("监测信息")
    page.get_by_label("监测日期").fill("2021-03-01")
    page.get_by_label("监测机构").fill("测试监测有限公司")
    page.get_by_label("监测污染物").fill("COD、氨氮")
    page.get_by_label("监测报告").set_input_files(pdf_file(tmp_path, "监测报告.pdf"))
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("#start-steps .step-item.active")).to_have_text("环保工程验收")
    page.get_by_label("验收日期").fill("2016-05-01")
    page.get_by_label("验收内容").fill("污水处理站")
    page.get_by_label("验收文件").set_input_files(pdf_file(tmp_path, "验收意见.pdf"))
    page.get_by_role("button", name="下一步").click()

    # 6 提交任务: nothing missing, then 提交
    expect(page.locator("#start-steps .step-item.active")).to_have_text("提交任务")
    expect(page.locator("#missing")).to_contain_text("所有必填内容均已完成")
    page.screenshot(path=str(screenshot_dir / "project-start-6-submit.png"), full_page=True)
    page.locator("#submit-form").get_by_role("button", name="提交").click()
    expect(page.locator("#start-submitted")).to_be_visible()
    start = ProjectStart.objects.get(pk=project.pk)
    assert start.status == "submitted" and start.legal_representative == "庄测试"
    assert Product.objects.get(project=project).output_3 == 480
    assert EiaApproval.objects.get(project=project).document_number == "涿环审〔2015〕1号"
    assert problems == []
