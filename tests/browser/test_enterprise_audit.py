"""The enterprise's audit project, through the real UI in Debian's Chromium (issue 4):

    项目启动      the six steps (a product, an EIA approval, a monitoring report and a facility
                 acceptance, each with its file); the missing list on step 6 shrinks to nothing; 提交
    工作过程痕迹  every evaluation-stage phase: its files (PDFs made with pypdf, JPEGs made with
                 Pillow, one with EXIF DateTimeOriginal), its data tables through their pages
                 (原辅材料和能源消耗, 取水, 污染物, 审核重点, 清洁生产目标, 物料平衡 and 水平衡 with their
                 lines and computed deviation), the option ledger (a 无低费 option, a 中高费 one
                 with its feasibility analysis: NPV, IRR, payback and the decision rules); each
                 phase submitted. A phase page follows its uploads (htmx) without a reload: its
                 completeness, each item's state, the missing list and 提交
    bad input    a .exe renamed .pdf, a 0-byte file, a "JPEG" that is not an image, the same file
                 twice in one item, a negative investment, a phase submitted from a page that is
                 no longer complete: each a Chinese message, nothing typed lost
    评估申请      the form, a late submission confirmed, the frozen version with its evidence; an
                 option renamed afterwards leaves the frozen version as it was
    验收阶段      方案的实施, 持续清洁生产, 验收报告 filed and 验收申请 submitted
    区县          涿州市 sees every phase 已提交 in 痕迹填报进度 and reads both applications

Only the starting point is arranged with services: CampaignWorld("accepted") from the root
conftest (涿州测试企业 has accepted its task; its account and the county's have known
passwords). Screenshots go to var/screenshots/audit-*.png.
"""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfWriter

from conftest import PASSWORD, CampaignWorld
from qingshen.applications.models import Application
from qingshen.core.roles import Role
from qingshen.evidence.models import Evidence
from qingshen.filings.models import PhaseFiling
from qingshen.options.models import Option
from tests.browser.conftest import assert_chinese_rendered

pytestmark = pytest.mark.browser

EVALUATION = ("preparation", "pre_assessment", "assessment", "option_generation", "evaluation_report", "feasibility")
ACCEPTANCE = ("implementation", "continuous_improvement", "acceptance_report")
ALLOWED = "只能上传 PDF、JPG、PNG、DOCX、XLSX、DOC、XLS 文件。"
# The start of a Windows executable (MZ header, PE signature), as a renamed .exe looks.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00" \
    + b"\x00" * 64 + b"PE\x00\x00" + b"\x00" * 200


@pytest.fixture
def accepted(transactional_db):
    """Committed: 涿州测试企业 has accepted its task (project created); accounts with PASSWORD."""
    return CampaignWorld("accepted")


# --- files -------------------------------------------------------------------------------------------


class Files:
    """Real files in tmp_path: each PDF and JPEG different, so none is a duplicate by accident."""

    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    def pdf(self, name: str) -> str:
        self.count += 1
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.add_metadata({"/Title": f"{name} ({self.count})"})
        buffer = io.BytesIO()
        writer.write(buffer)
        return self.write(name, buffer.getvalue())

    def jpeg(self, name: str, *, taken: str | None = None) -> str:
        """A photo (640×480); `taken` is written as EXIF DateTimeOriginal ("YYYY:MM:DD HH:MM:SS")."""
        self.count += 1
        image = Image.new("RGB", (640, 480), (20 * self.count % 255, 120, 200))
        image.paste((255, 0, 0), (0, 0, 160, 120))
        exif = Image.Exif()
        if taken:
            exif.get_ifd(0x8769)[0x9003] = taken
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", exif=exif.tobytes(), quality=85)
        return self.write(name, buffer.getvalue())

    def write(self, name: str, content: bytes) -> str:
        path = self.directory / name
        path.write_bytes(content)
        return str(path)


# --- helpers -----------------------------------------------------------------------------------------


def snap(page: Page, directory, name: str) -> None:
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=directory / f"audit-{name}.png", full_page=True)


# Thumbnails load with the page (not lazily, when a click scrolls them into view), so that
# `settle` can wait for them before the next request (see `Traffic`).
EAGER_IMAGES = """
const eager = () => document.querySelectorAll("img[loading=lazy]").forEach((img) => { img.loading = "eager"; });
document.addEventListener("DOMContentLoaded", eager);
document.addEventListener("htmx:afterSwap", eager);
"""


class Traffic:
    """The page's requests still waiting for their answer (static files aside).

    A phase page makes requests of its own: its thumbnails, and the refresh of its 提交 box
    after a file is added (htmx). Every request saves the session (SESSION_SAVE_EVERY_REQUEST),
    so they write at once; the test settings keep SQLite's test database in a file, where
    writers wait for each other (an in-memory one refused the second: Django's 400, "session
    was deleted before the request completed"). The test still starts an action only once the
    page's own requests are answered (`settle`), so each check reads a page that has finished.
    """

    def __init__(self, page: Page):
        self.page, self.pending = page, set()
        page.on("request", lambda request: self.pending.add(request) if "/static/" not in request.url else None)
        page.on("requestfinished", lambda request: self.pending.discard(request))
        page.on("requestfailed", lambda request: self.pending.discard(request))

    def settle(self) -> None:
        quiet = 0
        for _ in range(400):
            self.page.wait_for_timeout(20)
            quiet = 0 if self.pending else quiet + 1
            if quiet == 3:
                return
        raise AssertionError(f"still waiting for {[r.url for r in self.pending]}")


TRAFFIC: dict[int, Traffic] = {}


def settle(page: Page) -> None:
    TRAFFIC[id(page)].settle()


def open_page(new_context, problems: list) -> Page:
    """A page in a fresh browser context; script errors and failed static files go to `problems`;
    confirmation dialogs (data-confirm) are accepted."""
    page = new_context().new_page()
    watch(page, problems)
    return page


def watch(page: Page, problems: list) -> None:
    page.add_init_script(EAGER_IMAGES)
    TRAFFIC[id(page)] = Traffic(page)
    page.on("pageerror", lambda error: problems.append(f"script error on {page.url}: {error}"))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
            if "/static/" in r.url and r.status >= 400 else None)
    page.on("dialog", lambda dialog: dialog.accept())


def sign_in(new_context, problems: list, username: str) -> Page:
    page = open_page(new_context, problems)
    page.goto("/accounts/login/")
    page.get_by_label("登录账号").fill(username)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="立即登录").click()
    expect(page.locator("#main-menu")).to_be_visible()
    return page


def menu(page: Page, item: str) -> None:
    settle(page)
    page.locator("#main-menu").get_by_role("link", name=item, exact=True).click()


def success(page: Page):
    return page.locator(".alert-success")


def panel(page: Page, code: str):
    return page.locator(f"#item-{code} .evidence-panel")


def upload(page: Page, code: str, path: str, *, title: str = "", date: str = "") -> None:
    """Upload one file into a checklist item's evidence panel (htmx: the panel is redrawn, and
    then the phase's summary and 提交 box)."""
    settle(page)
    form = panel(page, code).locator("form.evidence-upload")
    if title:
        form.get_by_label("标题（可不填）").fill(title)
    if date:
        form.get_by_label("文件日期").fill(date)
    form.locator("input[name=file]").set_input_files(path)
    form.get_by_role("button", name="上传").click()
    shown = title or path.rsplit("/", 1)[-1]
    expect(panel(page, code).locator(".alert-success")).to_have_text(f"已上传：{shown}")
    settle(page)


def refused_upload(page: Page, code: str, path, message) -> None:
    settle(page)
    form = panel(page, code).locator("form.evidence-upload")
    form.locator("input[name=file]").set_input_files(path)
    form.get_by_role("button", name="上传").click()
    expect(panel(page, code).locator(".alert-danger")).to_have_text(message)
    settle(page)


def submit_phase(page: Page, label: str) -> None:
    expect(page.locator("#ready")).to_have_text("必填项均已完成，可以提交。")
    settle(page)
    page.locator("#submit-box").get_by_role("button", name="提交").click()
    expect(success(page)).to_have_text(f"已提交“{label}”。")
    expect(page.locator("#submit-box")).to_contain_text("本阶段已提交，材料不能再修改。")


def next_phase(page: Page, label: str) -> str:
    settle(page)
    page.get_by_role("link", name=f"下一阶段：{label}").click()
    expect(page.locator("#phase-completeness")).to_be_visible()
    return page.url


def fill(form, values: dict) -> None:
    for label, value in values.items():
        field = form.get_by_label(label, exact=True)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)


def add_row(page: Page, values: dict, message: str) -> None:
    """One row through a data table's add form."""
    form = page.locator("#add-form")
    fill(form, values)
    form.get_by_role("button", name="添加").click()
    expect(success(page)).to_have_text(f"已添加：{message}")


def open_table(page: Page, code: str, label: str) -> None:
    """From a phase page, the item's data table."""
    settle(page)
    page.locator(f"#item-{code} .item-table").get_by_role("link", name=label).click()
    expect(page.locator("#add-form")).to_be_visible()


def record_peer_benchmark(page: Page, code: str, label: str, stage: str) -> None:
    """From a phase page, 对标 of the stage: the shipped electroplating table is suggested (the
    enterprise's class is 3360), but it is incomplete, so the enterprise says its industry has
    no verified system and describes how it compares with its peers (benchmarking's own tests
    fill the tables)."""
    settle(page)
    page.locator(f"#item-{code} .item-table").get_by_role("link", name=label).click()
    page.locator(f"#edit-{stage}").click()
    page.locator("#benchmark-form select[name=system]").select_option("")
    page.wait_for_url(re.compile(r"[?&]system=(&|$)"))
    page.get_by_label("与同行业对比说明").fill("与省内两家同类印染企业对比：单位产品取水量处于中上水平。")
    page.locator("#save-benchmark").click()
    expect(success(page)).to_contain_text("已保存对标")


# --- the test ------------------------------------------------------------------------------------------


def test_enterprise_files_its_audit_and_the_county_follows(accepted, live_server, new_context, screenshot_dir,
                                                           tmp_path):
    problems: list[str] = []
    files = Files(tmp_path)
    project = accepted.project
    ent = sign_in(new_context, problems, accepted.user(Role.ENTERPRISE).username)

    # 1. 项目启动: the missing list first, then the six steps, then 提交.
    menu(ent, "项目启动")
    ent.locator("#start-table").get_by_role("link", name="详情").click()
    ent.locator("#start-steps").get_by_role("link", name="提交任务").click()
    missing = ent.locator("#missing-list .missing-item")
    expect(missing.filter(has_text="请至少添加一条产品")).to_have_count(1)
    expect(missing.filter(has_text="请填写法人")).to_have_count(1)
    assert missing.count() >= 6
    ent.locator("#start-steps").get_by_role("link", name="基本信息").click()
    expect(ent.get_by_label("企业名称")).to_have_value("涿州测试企业")
    fill(ent.locator("#start-form"), {"法人": "庄测试", "地址": "涿州市测试镇测试村1号", "从业人数": "35",
                                      "年工作日（天）": "300"})
    ent.locator("#id_town").fill("测试镇")
    ent.locator("#id_village").fill("测试村")
    ent.get_by_label("企业性质").select_option("私营有限责任公司")
    ent.get_by_role("button", name="下一步").click()
    expect(ent.locator("#start-steps .step-item.active")).to_have_text("产品信息")
    fill(ent, {"产品名称": "测试棉布", "计量单位": "万米", "设计产能": "500", "2018年实际产量": "420",
               "2019年实际产量": "450", "2020年实际产量": "480"})
    ent.get_by_role("button", name="下一步").click()
    expect(ent.locator("#start-steps .step-item.active")).to_have_text("环境影响评价信息")
    fill(ent, {"批复文号": "涿环审〔2015〕1号", "批复日期": "2015-06-01", "审批部门": "涿州市环境保护局"})
    ent.get_by_label("环评批复文件").set_input_files(files.pdf("环评批复.pdf"))
    ent.get_by_role("button", name="下一步").click()
    expect(ent.locator("#start-steps .step-item.active")).to_have_text("监测信息")
    fill(ent, {"监测日期": "2021-03-01", "监测机构": "测试监测有限公司", "监测污染物": "COD、氨氮"})
    ent.get_by_label("监测报告").set_input_files(files.pdf("监测报告.pdf"))
    ent.get_by_role("button", name="下一步").click()
    expect(ent.locator("#start-steps .step-item.active")).to_have_text("环保工程验收")
    fill(ent, {"验收日期": "2016-05-01", "验收内容": "污水处理站"})
    ent.get_by_label("验收文件").set_input_files(files.pdf("验收意见.pdf"))
    ent.get_by_role("button", name="下一步").click()
    expect(ent.locator("#start-steps .step-item.active")).to_have_text("提交任务")
    expect(ent.locator("#missing-list")).to_have_count(0)
    expect(ent.locator("#missing")).to_contain_text("所有必填内容均已完成")
    snap(ent, screenshot_dir, "01-start-submit")
    ent.locator("#submit-form").get_by_role("button", name="提交").click()
    expect(ent.locator("#start-submitted")).to_be_visible()

    # 2. 工作过程痕迹: the project's phases, from the menu.
    menu(ent, "工作过程痕迹")
    ent.locator(f"#progress-table tr[data-project='{project.pk}']").get_by_role("link", name="详情").click()
    expect(ent).to_have_url(re.compile(rf"/filings/projects/{project.pk}/$"))
    expect(ent.locator("#stage-evaluation")).to_contain_text("已提交 0 / 6 个阶段")
    ent.locator("#phase-preparation").get_by_role("link", name="详情").click()

    # 2a. 审核准备, with the bad files: each refused in Chinese, the typed title and date kept,
    #     and what was typed in another item's panel untouched.
    expect(ent.locator("#missing-list li")).to_have_count(4)
    team = panel(ent, "prep_team").locator("form.evidence-upload")
    team.get_by_label("标题（可不填）").fill("领导小组成立文件")
    team.get_by_label("文件日期").fill("2021-10-08")
    plan = panel(ent, "prep_plan").locator("form.evidence-upload")
    plan.get_by_label("标题（可不填）").fill("审核工作计划表")
    refused_upload(ent, "prep_team", files.write("成立文件.pdf", EXE),
                   f"文件“成立文件.pdf”实际是 EXE 文件，{ALLOWED}")
    snap(ent, screenshot_dir, "02-refused-exe")
    assert_chinese_rendered(ent, "#item-prep_team .evidence-panel .alert-danger")
    refused_upload(ent, "prep_team", files.write("空白.pdf", b""), "文件“空白.pdf”是空的。")
    for form in (team, plan):
        expect(form.get_by_label("标题（可不填）")).to_have_value(
            "领导小组成立文件" if form is team else "审核工作计划表")
    expect(team.get_by_label("文件日期")).to_have_value("2021-10-08")
    team_pdf = files.pdf("领导小组成立文件.pdf")
    upload(ent, "prep_team", team_pdf, title="领导小组成立文件")
    team = panel(ent, "prep_team").locator("form.evidence-upload")
    team.get_by_label("标题（可不填）").fill("重复上传")
    refused_upload(ent, "prep_team", team_pdf, re.compile(
        r"^文件“领导小组成立文件\.pdf”与已上传的“领导小组成立文件\.pdf”（\d{4}-\d\d-\d\d \d\d:\d\d 上传）内容相同，无需重复上传。$"))
    expect(panel(ent, "prep_team").locator(".evidence-row")).to_have_count(1)
    expect(panel(ent, "prep_team").get_by_label("标题（可不填）")).to_have_value("重复上传")
    expect(plan.get_by_label("标题（可不填）")).to_have_value("审核工作计划表")
    upload(ent, "prep_plan", files.pdf("审核工作计划.pdf"), title="审核工作计划表")
    upload(ent, "prep_training_records", files.pdf("培训签到表.pdf"))
    fake = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"not really a photo " * 20
    refused_upload(ent, "prep_training_photos", files.write("培训现场.jpg", fake), "文件“培训现场.jpg”已损坏，无法作为图片打开。")
    upload(ent, "prep_training_photos", files.jpeg("培训现场.jpg", taken="2021:10:15 09:30:00"))
    photo = panel(ent, "prep_training_photos").locator(".evidence-row")
    expect(photo).to_contain_text("拍摄时间：2021-10-15 09:30")
    thumbnail = photo.locator("img")
    expect(thumbnail).to_be_visible()
    ent.wait_for_function("img => img.complete && img.naturalWidth === 320", arg=thumbnail.element_handle())
    snap(ent, screenshot_dir, "03-preparation-files")

    # The page now says the phase is complete (the panels were redrawn without reloading it).
    expect(ent.locator("#phase-completeness")).to_have_text("必填项已完成 4 / 4")
    expect(ent.locator("#ready")).to_be_visible()
    # Meanwhile, in another tab, the plan is deleted: 提交 from this page is refused, with the list.
    other = ent.context.new_page()
    watch(other, problems)
    other.goto(ent.url)
    panel(other, "prep_plan").get_by_role("button", name="删除").click()
    expect(panel(other, "prep_plan").locator(".alert-success")).to_contain_text("已删除：审核工作计划表")
    settle(other)
    other.close()
    settle(ent)
    ent.locator("#submit-box").get_by_role("button", name="提交").click()
    expect(ent.locator(".alert-danger").first).to_have_text(
        "“审核准备”还有 1 项必填内容未完成，不能提交：审核工作计划：请上传文件")
    expect(ent.locator("#missing-list li")).to_have_text(["审核工作计划：请上传文件"])
    expect(ent.locator("#submit-box button")).to_be_disabled()
    snap(ent, screenshot_dir, "04-submit-refused")
    upload(ent, "prep_plan", files.pdf("审核工作计划（修订）.pdf"))
    submit_phase(ent, "审核准备")

    # 2b. 预审核: a document, five tables through their pages, a photo.
    phase_url = next_phase(ent, "预审核")
    upload(ent, "pre_survey", files.pdf("企业现状调研.pdf"))
    upload(ent, "pre_quick_wins", files.jpeg("无低费方案实施前后.jpg"))
    open_table(ent, "pre_raw_materials", "原辅材料和能源消耗")
    add_row(ent, {"类别": "原辅材料", "名称": "活性染料", "计量单位": "t", "年份": "2021", "年消耗量": "12.5",
                  "单位产品消耗量": "25", "单位产品消耗量的单位": "kg/万米"}, "2021年 活性染料")
    add_row(ent, {"类别": "能源", "名称": "电", "计量单位": "kWh", "年份": "2021", "年消耗量": "850000"}, "2021年 电")
    expect(ent.locator("#summary")).to_contain_text("850000")
    ent.goto(phase_url)
    open_table(ent, "pre_water", "取水、重复利用和排水")
    add_row(ent, {"年份": "2021", "地表水取水量（m³/a）": "0", "地下水取水量（m³/a）": "8000",
                  "自来水取水量（m³/a）": "2000", "其他水源取水量（m³/a）": "0", "重复利用水量（m³/a）": "30000",
                  "废水排放量（m³/a）": "7000", "产品产量": "500", "产品产量单位": "万米"}, "2021年取水")
    expect(ent.locator("#data-table tbody tr").first.locator(".reuse-rate")).to_have_text("75.00 %")
    ent.goto(phase_url)
    open_table(ent, "pre_pollutants", "废水污染物")
    for pollutant, concentration, load in (("化学需氧量（COD）", "45", "0.315"), ("氨氮（NH3-N）", "3.2", "0.0224")):
        add_row(ent, {"年份": "2021", "污染物": pollutant, "排放口/监测点位": "DW001 总排口", "排放浓度（mg/L）": concentration,
                      "年排放量（t/a）": load, "排放限值（mg/L）": "50" if pollutant.startswith("化学") else "5",
                      "执行标准": "DB13/2795-2018 表 1", "监测依据": "2021 年在线监测年均值"}, f"2021年 {pollutant}")
    ent.goto(phase_url)
    open_table(ent, "pre_audit_focus", "审核重点")
    add_row(ent, {"审核重点": "印染车间", "确定理由": "取水量和废水排放量占全厂的 70% 以上"}, "印染车间")
    ent.goto(phase_url)
    open_table(ent, "pre_targets", "清洁生产目标")
    add_row(ent, {"指标": "单位产品取水量", "单位": "m³/万米", "现状值": "20", "近期目标值": "17",
                  "近期目标完成期限": "2022-06-30"}, "单位产品取水量")
    # (a real minus sign)
    expect(ent.locator("#data-table tbody tr").first.locator(".near-percent")).to_have_text("−15.00 %")
    ent.goto(phase_url)
    record_peer_benchmark(ent, "pre_benchmark", "对标（审核前）", "before")
    ent.goto(phase_url)
    expect(ent.locator("#phase-completeness")).to_have_text("必填项已完成 8 / 8")
    submit_phase(ent, "预审核")

    # 2c. 审核: the material and water balances with their lines, and the causes.
    phase_url = next_phase(ent, "审核")
    upload(ent, "assess_causes", files.pdf("废物产生原因分析.pdf"))
    for code, label, name, lines, deviation in (
            ("assess_material_balance", "物料平衡", "染色工序物料平衡",
             (("投入", "坯布", "100"), ("产出", "成品布", "96"), ("产出", "边角料", "2")), "+2.00 %"),
            ("assess_water_balance", "水平衡", "印染车间水平衡",
             (("投入", "新鲜水", "120"), ("产出", "废水", "100"), ("产出", "蒸发损失", "14")), "+5.00 %")):
        open_table(ent, code, label)
        add_row(ent, {"名称": name}, name)
        expect(ent.locator("#verdict")).to_contain_text("尚未填写投入和产出")
        for direction, item, quantity in lines:
            form = ent.locator("#add-form")
            fill(form, {"方向": direction, "项目": item, "数量": quantity, "单位": "t/d" if label == "物料平衡" else "m³/d"})
            form.get_by_role("button", name="添加").click()
            expect(success(ent)).to_have_text(f"已添加{direction}项目：{item}")
        expect(ent.locator("#deviation")).to_have_text(deviation)
        expect(ent.locator("#verdict")).to_contain_text("平衡（|偏差| ≤ 5%）")
        if label == "水平衡":
            snap(ent, screenshot_dir, "05-water-balance")
        ent.goto(phase_url)
    submit_phase(ent, "审核")

    # 2d. 方案产生和筛选: the collection records and the option ledger, a negative investment once.
    phase_url = next_phase(ent, "方案产生和筛选")
    upload(ent, "opt_collection", files.pdf("合理化建议征集.pdf"))
    settle(ent)
    ent.locator("#item-opt_register .item-table").get_by_role("link", name="方案台账").click()
    ent.locator("#add-option").click()
    option = ent.locator("#option-form")
    fill(option, {"方案编号": "F1", "方案名称": "染色机加装自动计量加料装置", "方案类别": "无低费", "实施状态": "已实施",
                  "投资（万元）": "0.8", "经济效益（万元/年）": "3.5", "节水（吨/年）": "1200"})
    option.get_by_role("button", name="保存").click()
    expect(success(ent)).to_have_text("已保存方案：F1 染色机加装自动计量加料装置")
    menu(ent, "方案台账")
    ent.locator("#add-option").click()
    option = ent.locator("#option-form")
    high = {"方案编号": "F2", "方案名称": "印染废水深度处理回用", "方案类别": "中高费", "实施状态": "筛选通过",
            "方案简介": "新建超滤+反渗透回用系统，回用率 60%。", "投资（万元）": "-100", "经济效益（万元/年）": "40",
            "节水（吨/年）": "60000", "COD 削减（吨/年）": "2.5", "氨氮削减（吨/年）": "0.2"}
    fill(option, high)
    option.get_by_role("button", name="保存").click()
    expect(option.locator(".alert-danger")).to_contain_text("您已填写的内容都已保留")
    expect(option.locator(".invalid-feedback")).to_have_text(["投资不能为负数。"])
    for label, value in high.items():
        field = option.get_by_label(label, exact=True)
        if field.evaluate("e => e.tagName") == "SELECT":
            expect(field.locator("option:checked")).to_have_text(value)
        else:
            expect(field).to_have_value(value)
    snap(ent, screenshot_dir, "06-negative-investment")
    option.get_by_label("投资（万元）", exact=True).fill("100")
    option.get_by_role("button", name="保存").click()
    expect(success(ent)).to_have_text("已保存方案：F2 印染废水深度处理回用")
    ent.goto(phase_url)
    submit_phase(ent, "方案产生和筛选")

    # 2e. 评估报告.
    next_phase(ent, "评估报告")
    upload(ent, "eval_report", files.pdf("清洁生产审核报告（评估阶段）.pdf"))
    submit_phase(ent, "评估报告")

    # 2f. 方案的确定: the 中高费 option's feasibility, computed, with the decision rules.
    phase_url = next_phase(ent, "方案的确定")
    expect(ent.locator("#missing-list")).to_contain_text("中高费方案可行性分析")
    settle(ent)
    ent.locator("#item-feas_analysis .item-table").get_by_role("link", name="中高费方案可行性分析").click()
    ent.locator("#option-table tr[data-option='F2']").get_by_role("link", name="未填写").click()
    form = ent.locator("#feasibility-form")
    expect(form.get_by_label("总投资 I（万元）")).to_have_value("100.00")
    expect(form.get_by_label("年净节省金额 P（万元/年）")).to_have_value("40.00")
    fill(form, {"技术可行性分析": "超滤+反渗透工艺成熟，同行业已有应用。", "环境可行性分析": "年节水 6 万吨，削减 COD 2.5 吨。",
                "折旧年限 Y（年）": "5", "贴现率 i（%）": "8", "项目寿命 n（年）": "10", "结论": "技术、环境、经济上均可行。"})
    form.get_by_role("button", name="保存并计算").click()
    expect(success(ent)).to_have_text("已保存可行性分析：经济上可行。")
    expect(ent.locator("#payback")).to_have_text("2.86 年")  # N = I / F = 100 / 35
    expect(ent.locator("#npv")).to_have_text("121.2660 万元")
    expect(ent.locator("#npvr")).to_have_text("1.2127")
    expect(ent.locator("#irr")).to_have_text("31.86%")
    rules = ent.locator("#rules li")
    expect(rules).to_have_count(3)
    expect(rules.nth(0)).to_contain_text("净现值 NPV ≥ 0")
    expect(rules.nth(1)).to_contain_text("内部收益率 IRR ≥ 基准收益率 8")
    expect(rules.nth(2)).to_contain_text("投资偿还期 N < 项目寿命 10 年")
    expect(ent.locator("#feasibility-results")).to_contain_text("NPV ≥ 0 且 IRR 不低于基准收益率时，方案经济上可行")
    assert_chinese_rendered(ent, "#rules strong")
    snap(ent, screenshot_dir, "07-feasibility")
    ent.goto(phase_url)
    submit_phase(ent, "方案的确定")
    settle(ent)
    ent.get_by_role("link", name="全部阶段").click()
    expect(ent.locator("#stage-evaluation")).to_contain_text("已提交 6 / 6 个阶段")
    snap(ent, screenshot_dir, "08-phases")

    # 3. 评估申请: past its due date, so confirmed as late; the frozen version lists the evidence.
    ent.get_by_role("link", name="项目信息").click()
    ent.locator("#project-work").get_by_role("link", name="评估申请").click()
    expect(ent.locator("#ready")).to_be_visible()
    application = {"联系人": "张三", "联系电话": "13800138000", "审核开始日期": "2021-10-08",
                   "审核完成日期": "2022-01-20", "审核工作概述": "审核重点为印染车间；提出方案 2 项，无低费方案已实施。",
                   "申请说明": "申请评估。"}
    form = ent.locator("#application-form")
    fill(form, application)
    form.get_by_role("button", name="提交").click()
    expect(ent.locator("#application-form .invalid-feedback")).to_contain_text(re.compile(
        r"已超过评估申请截止日期（2022年2月1日）\d+ 天。如仍要提交，请勾选“确认逾期提交”。"))
    for label, value in application.items():
        expect(ent.locator("#application-form").get_by_label(label, exact=True)).to_have_value(value)
    ent.locator("#application-form").get_by_label("确认逾期提交").check()
    ent.locator("#application-form").get_by_role("button", name="提交").click()
    expect(success(ent)).to_have_text("已提交评估申请（第 1 版）。")
    expect(ent.locator("#frozen-contents")).to_contain_text("提交时冻结的内容")
    evaluation_url = ent.url
    current = Evidence.objects.filter(project=project, superseded_at__isnull=True, withdrawn_at__isnull=True)
    evidence_names = set(current.values_list("stored__original_name", flat=True))
    shown = ent.locator("#frozen-evidence tbody tr td:first-child").all_inner_texts()
    assert set(shown) == evidence_names and "领导小组成立文件.pdf" in shown and "培训现场.jpg" in shown
    assert "审核工作计划.pdf" not in shown  # deleted before submitting
    expect(ent.locator("#frozen-options")).to_contain_text("染色机加装自动计量加料装置")
    snap(ent, screenshot_dir, "09-evaluation-frozen")

    # An option renamed after submitting: the submitted version keeps the old name.
    menu(ent, "方案台账")
    ent.locator("#option-table").get_by_role("link", name="F1").click()
    ent.locator("#edit-option").click()
    ent.locator("#option-form").get_by_label("方案名称").fill("染色机自动计量加料装置（扩大到全部染缸）")
    ent.locator("#option-form").get_by_role("button", name="保存").click()
    expect(success(ent)).to_contain_text("染色机自动计量加料装置（扩大到全部染缸）")
    ent.goto(evaluation_url)
    frozen = ent.locator("#frozen-options")
    expect(frozen).to_contain_text("染色机加装自动计量加料装置")
    expect(frozen).not_to_contain_text("扩大到全部染缸")

    # 4. The acceptance stage, then 验收申请.
    ent.goto(f"/filings/projects/{project.pk}/")
    ent.locator("#phase-implementation").get_by_role("link", name="详情").click()
    upload(ent, "impl_photos", files.jpeg("回用系统现场.jpg", taken="2022:05:10 14:05:00"))
    upload(ent, "impl_documents", files.pdf("设备采购合同.pdf"))
    upload(ent, "impl_results", files.pdf("实施效果汇总.pdf"))
    implementation_url = ent.url
    record_peer_benchmark(ent, "impl_benchmark", "对标（实施后）", "after")
    ent.goto(implementation_url)
    submit_phase(ent, "方案的实施")
    next_phase(ent, "持续清洁生产")
    upload(ent, "cont_organization", files.pdf("持续清洁生产组织机构.pdf"))
    upload(ent, "cont_rules", files.pdf("清洁生产管理制度.pdf"))
    upload(ent, "cont_plan", files.pdf("持续清洁生产计划.pdf"))
    submit_phase(ent, "持续清洁生产")
    next_phase(ent, "验收报告")
    upload(ent, "acc_report", files.pdf("清洁生产审核验收报告.pdf"))
    submit_phase(ent, "验收报告")
    settle(ent)
    ent.get_by_role("link", name="全部阶段").click()
    expect(ent.locator("#stage-acceptance")).to_contain_text("已提交 3 / 3 个阶段")
    ent.get_by_role("link", name="项目信息").click()
    ent.locator("#project-work").get_by_role("link", name="验收申请").click()
    expect(ent.locator("#ready")).to_be_visible()
    form = ent.locator("#application-form")
    fill(form, {**application, "审核完成日期": "2022-05-30", "申请说明": "申请验收。"})
    form.get_by_label("确认逾期提交").check()
    form.get_by_role("button", name="提交").click()
    expect(success(ent)).to_have_text("已提交验收申请（第 1 版）。")
    acceptance_url = ent.url

    # 5. 涿州市 follows: every phase 已提交; both applications, read-only, from 评估、验收申请.
    county = sign_in(new_context, problems, accepted.user(Role.COUNTY).username)
    menu(county, "痕迹填报进度")
    row = county.locator(f"#progress-table tr[data-project='{project.pk}']")
    expect(row.locator("td[data-phase] .phase-status")).to_have_text(["已提交"] * 9)
    expect(row).to_contain_text("9 / 9")
    assert_chinese_rendered(county, "#progress-table thead th")
    snap(county, screenshot_dir, "10-county-progress")
    row.get_by_role("link", name="详情").click()
    expect(county.locator("#stage-acceptance")).to_contain_text("已提交 3 / 3 个阶段")
    county.get_by_role("link", name="项目信息").click()
    county.locator("#project-work").get_by_role("link", name="评估申请").click()
    expect(county.locator("#application-form")).to_have_count(0)  # officials read
    expect(county.locator("#versions tbody tr")).to_have_count(1)
    for title, url in (("评估申请（第 1 版）", evaluation_url), ("验收申请（第 1 版）", acceptance_url)):
        menu(county, "评估、验收申请")
        listed = county.locator("#application-table tbody tr", has_text=title)
        expect(listed).to_contain_text("已提交")
        listed.get_by_role("link", name="详情").click()
        expect(county).to_have_url(url)
        expect(county.locator("#application-status")).to_have_text("已提交")
        expect(county.locator("#frozen-evidence tbody tr").first).to_be_visible()
        expect(county.locator(".page-body form")).to_have_count(0)  # nothing to change
    county.goto(evaluation_url)
    expect(county.locator("#frozen-options")).to_contain_text("染色机加装自动计量加料装置")
    snap(county, screenshot_dir, "11-county-application")

    # What the pages did, as the database has it.
    assert set(PhaseFiling.objects.filter(project=project).values_list("phase", "status")) == {
        (phase, "submitted") for phase in EVALUATION + ACCEPTANCE}
    assert list(Application.objects.filter(project=project).order_by("stage").values_list("stage", "status")) == [
        ("acceptance", "submitted"), ("evaluation", "submitted")]
    assert Option.objects.get(project=project, code="F2").feasibility.economically_feasible is True
    assert problems == []
