"""The whole cascade of a campaign, through the real UI in Debian's Chromium, every party
signed in with its own account and password in its own browser context:

    名单核定  省 下发 → 保定市 补充要求、标注“否”、下发 → 涿州市、莲池区 提交盖章名单
              → 保定市 退回莲池区一次、莲池区 整改重新提交 → 保定市 通过两县并提交 → 省 通过保定市
    任务通知  省 发布清审任务通知 → 保定市 补充本级任务信息并下发 → 涿州市 批量生成告知书（合并 PDF，
              后台任务）、逐份上传和批量扫描上传盖章版、全部上传前下发被拒、下发
    企业      凭告知书上的账号和激活码激活账号、接受清审任务（先输错手机号）、得到项目编号
    统计      涿州市 任务统计：已通知 2 家、已接受 1 家

Only the starting point is arranged with services: a campaign in 草稿 naming five enterprises
(three in 涿州市, one in 莲池区, one in 石家庄市长安区) and the department accounts with known
passwords. The enterprises' accounts are created by their letters; the activation codes are
read from the downloaded letters. 石家庄市 is left 待确认: the notice goes only to cities whose
roster the province has approved, which the 发布 page shows.

Screenshots of the key pages go to var/screenshots/cascade-*.png, with the first page of the
merged letters rendered by pdftoppm (cascade-09-letter.png).
"""

import re
import subprocess
from datetime import date
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader, PdfWriter

from conftest import PASSWORD, blank_pdf, department, make_enterprise, make_user
from qingshen.campaigns.models import CampaignEnterprise
from qingshen.notices.models import NoticeLetter, NoticeTask
from qingshen.projects.models import AuditProject
from qingshen.rosters.models import RosterTask
from tests.browser.conftest import assert_chinese_rendered

pytestmark = pytest.mark.browser

CAMPAIGN = "2021年白洋淀流域第二批涉水企业清洁生产审核"
ATTEST = "我同意上述内容"
ZHUOZHOU = ("涿州市华北机械制造有限公司", "涿州市绿源印染有限公司", "涿州市恒泰铸造有限公司")
LIANCHI = "保定市莲池区精细化工有限公司"
CHANGAN = "石家庄市长安区金属表面处理有限公司"
EXCLUDED = ZHUOZHOU[2]  # the city marks it 否
ENTERPRISE_PASSWORD = "Huabei-Qy-2021!"
RETURN_COMMENTS = "请补充莲池区精细化工有限公司的排污许可证编号后重新提交。"
POLL_TIMEOUT = 60_000  # ms: the job pages, polled by expect()


@pytest.fixture
def cascade(transactional_db):
    """Committed: the campaign in 草稿 with its enterprises, dates and the departments' accounts."""
    from qingshen.campaigns import services as campaigns
    from qingshen.campaigns.models import MilestoneKind, TargetRule

    users = {code: make_user(code, department(code), full_name=name) for code, name in (
        ("130000", "河北省生态环境厅"), ("130600", "保定市生态环境局"), ("130681", "涿州市生态环境分局"),
        ("130606", "莲池区生态环境分局"), ("130100", "石家庄市生态环境局"), ("130102", "长安区生态环境分局"))}
    province, city = users["130000"], users["130600"]
    campaign = campaigns.create_campaign(
        province, document_number="冀环办字〔2021〕392号", batch="第二批", name=CAMPAIGN, year=2021, code="2021-392",
        scope="白洋淀流域涉水企业", issue_date=date(2021, 9, 30), requirements="请按附件要求组织开展强制性清洁生产审核。",
        letter_preamble="根据《河北省2021年白洋淀流域第二批涉水企业强制性清洁生产审核工作方案》，你公司列入审核名单",
        contact_person="王明", contact_phone="0311-87654321", target_rules=TargetRule.objects.all(),
    )
    enterprises = [make_enterprise(name, "130681") for name in ZHUOZHOU]
    enterprises += [make_enterprise(LIANCHI, "130606"), make_enterprise(CHANGAN, "130102")]
    for enterprise in enterprises:
        campaigns.add_member(province, campaign, enterprise, reasons=["key_task"], handling_level="city")
    for kind, day in ((MilestoneKind.DISCLOSURE, date(2021, 10, 30)),
                      (MilestoneKind.EVALUATION_APPLICATION, date(2022, 3, 1)),
                      (MilestoneKind.EVALUATION_DONE, date(2022, 3, 31)),
                      (MilestoneKind.ACCEPTANCE_APPLICATION, date(2022, 6, 1)),
                      (MilestoneKind.ACCEPTANCE_DONE, date(2022, 6, 30))):
        campaigns.set_milestone(province, campaign, kind=kind, due_date=day)
    campaigns.set_milestone(province, campaign, kind=MilestoneKind.NOTIFY, days_after_publication=10)
    # Baoding is stricter than the province: its enterprises' letters carry its date
    campaigns.set_milestone(city, campaign, kind=MilestoneKind.EVALUATION_APPLICATION, due_date=date(2022, 2, 1),
                            document_number="(2021)—34")
    assert campaign.roster_tasks.get().status == RosterTask.Status.DRAFT
    return SimpleNamespace(campaign=campaign, users=users)


# --- helpers ---------------------------------------------------------------------------------------


def snap(page: Page, directory, name: str) -> None:
    page.evaluate("document.fonts.ready.then(() => true)")  # the icon web font, before the picture
    page.screenshot(path=directory / f"cascade-{name}.png", full_page=True)


def open_page(new_context, problems: list) -> Page:
    """A page in a fresh browser context (its own cookies); script errors and failed static
    files are noted in `problems`, for a final check."""
    page = new_context().new_page()
    page.on("pageerror", lambda error: problems.append(f"script error on {page.url}: {error}"))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
            if "/static/" in r.url and r.status >= 400 else None)
    return page


def sign_in(new_context, problems: list, username: str, password: str = PASSWORD) -> Page:
    """A fresh browser context, signed in through the login page."""
    page = open_page(new_context, problems)
    page.goto("/accounts/login/")
    page.get_by_label("登录账号").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="立即登录").click()
    expect(page.locator("#main-menu")).to_be_visible()
    return page


def menu(page: Page, item: str) -> None:
    page.locator("#main-menu").get_by_role("link", name=item, exact=True).click()


def step(page: Page, label: str) -> None:
    """A step of the task's step bar (企业清单, 下发任务, 区县任务情况, 告知书…)."""
    page.locator("#task-steps").get_by_role("link", name=label, exact=True).click()
    expect(page.locator("#task-steps .active")).to_have_text(label)


def success(page: Page):
    return page.locator(".alert-success")


def attest_and_dispatch(page: Page, form: str = "#dispatch-form") -> None:
    page.locator(form).get_by_label(ATTEST).check()
    page.locator(form).get_by_role("button", name="下发任务").click()


def pdf_text(path) -> list[str]:
    """The text of each page (pdftotext, poppler-utils)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True)
    return out.stdout.split("\f")[:-1]


def submit_final_list(page: Page, tmp_path, round_no: int) -> None:
    """提交任务: download the generated final list (PDF, for stamping), upload it as the stamped scan."""
    with page.expect_download() as download:
        page.locator("#download-pdf").click()
    final = tmp_path / f"{round_no}-{download.value.suggested_filename}"
    download.value.save_as(final)
    assert final.read_bytes().startswith(b"%PDF"), download.value.suggested_filename
    page.get_by_label("最终名单（盖章扫描件）").set_input_files(final)
    page.locator("#submit-form").get_by_role("button", name="提交", exact=True).click()
    expect(success(page)).to_have_text(f"已提交（第 {round_no} 轮），等待上级审核。")


def review(page: Page, organization: str, decision: str, comments: str = "") -> None:
    """区县任务情况 / 市级任务情况: 通过 or 退回 one lower level's roster."""
    card = page.locator(".child-task", has_text=organization)
    expect(card.locator(".task-status").first).to_have_text("已提交")
    card.get_by_label(decision, exact=True).check()
    if comments:
        card.get_by_label("审核意见").fill(comments)
    card.get_by_role("button", name="提交审核结果").click()
    expect(success(page)).to_have_text(f"已{decision} {organization} 的名单。")


# --- the cascade -----------------------------------------------------------------------------------


def test_campaign_cascade(cascade, live_server, new_context, screenshot_dir, tmp_path):
    problems = []
    evidence = tmp_path / "停产证明.pdf"
    evidence.write_bytes(blank_pdf().read())
    city_notice = tmp_path / "保定市关于开展清洁生产审核名单核定的通知.pdf"
    city_notice.write_bytes(blank_pdf(pages=2).read())

    # 1. The province publishes its roster (草稿 → 下发任务).
    province = sign_in(new_context, problems, "130000")
    menu(province, "名单核定任务")
    row = province.locator("#roster-task-table tbody tr", has_text="河北省生态环境厅")
    expect(row.locator(".task-status")).to_have_text("草稿")
    row.get_by_role("link", name="详情").click()
    step(province, "下发任务")
    expect(province.locator("#recipients tbody tr")).to_have_text([re.compile("保定市\\s*4"), re.compile("石家庄市\\s*1")])
    assert_chinese_rendered(province, ".attestation")
    snap(province, screenshot_dir, "01-province-task")
    attest_and_dispatch(province)
    expect(success(province)).to_have_text("任务已下发至 2 个单位：石家庄市生态环境局、保定市生态环境局。")

    # 2. Baoding: 待确认 → its requirements → 企业清单 (one enterprise 否, with evidence) → 下发任务.
    city = sign_in(new_context, problems, "130600")
    menu(city, "名单核定任务")
    row = city.locator("#roster-task-table tbody tr", has_text="保定市生态环境局")
    expect(row.locator(".task-status")).to_have_text("待确认")
    expect(city.locator("#roster-task-table")).not_to_contain_text("石家庄市生态环境局")
    row.get_by_role("link", name="详情").click()
    expect(city.locator("#task-steps .active")).to_have_text("省级任务信息")
    expect(city.locator("#campaign-notice")).to_contain_text("冀环办字〔2021〕392号")
    city.locator(".step-nav").get_by_role("link", name="下一步").click()
    expect(city.locator("#task-steps .active")).to_have_text("市级任务信息")
    city.get_by_label("本级任务要求").fill("请各区县于2021年10月20日前完成名单核定，并上传盖章版最终名单。")
    city.get_by_label("上传通知文件").set_input_files(city_notice)
    city.locator("#own-form").get_by_role("button", name="下一步").click()
    expect(success(city)).to_have_text("已保存本级任务信息。")
    expect(city.locator("#task-steps .active")).to_have_text("企业清单")
    expect(city.locator("#member-totals")).to_contain_text("共 4 家")
    target = city.locator("tbody.member", has_text=EXCLUDED)
    target.get_by_role("link", name="标注“否”").click()
    form = target.locator("form.exclude-form")
    form.get_by_label("情况说明").fill("该企业已于2021年8月全面停产，生产设备已拆除。")
    form.get_by_label("佐证材料").set_input_files(evidence)
    form.get_by_role("button", name="确定").click()
    expect(target.locator(".row-message")).to_have_text(f"已将 {EXCLUDED} 标注为“否”。")
    expect(target.locator(".member-status")).to_have_text("不纳入")
    expect(target.locator(".decisions")).to_contain_text("停产证明.pdf")
    for kept in (ZHUOZHOU[0], ZHUOZHOU[1], LIANCHI):
        expect(city.locator("tbody.member", has_text=kept).locator(".member-status")).to_have_text("纳入")
    assert_chinese_rendered(city, "#member-table .member-name")
    snap(city, screenshot_dir, "02-city-roster")
    city.locator(".step-nav").get_by_role("link", name="下一步").click()
    expect(city.locator("#recipients tbody tr")).to_have_text([re.compile("涿州市\\s*3"), re.compile("莲池区\\s*1")])
    attest_and_dispatch(city)
    expect(success(city)).to_have_text("任务已下发至 2 个单位：莲池区生态环境分局、涿州市生态环境分局。")
    expect(city.locator("#task-steps .active")).to_have_text("区县任务情况")

    # 3. The counties read Baoding's requirements and submit their stamped final lists.
    counties = {}
    for code, organization in (("130681", "涿州市生态环境分局"), ("130606", "莲池区生态环境分局")):
        county = counties[code] = sign_in(new_context, problems, code)
        menu(county, "名单核定任务")
        row = county.locator("#roster-task-table tbody tr", has_text=organization)
        expect(row.locator(".task-status")).to_have_text("待确认")
        row.get_by_role("link", name="详情").click()
        expect(county.locator(".upper-task[data-level=city]")).to_contain_text("请各区县于2021年10月20日前完成名单核定")
        expect(county.locator(".upper-task[data-level=city]")).to_contain_text(city_notice.name)
        step(county, "提交任务")
        if code == "130681":
            expect(county.locator("#final-list")).to_contain_text("纳入 2 家，不纳入 1 家")
            snap(county, screenshot_dir, "03-county-submit")
        submit_final_list(county, tmp_path, 1)

    # 4. Baoding returns 莲池区 once; 莲池区 sees why, resubmits; Baoding approves both and
    #    submits its own list; the province approves Baoding.
    city.reload()
    review(city, "莲池区生态环境分局", "退回", RETURN_COMMENTS)
    lianchi_card = city.locator(".child-task", has_text="莲池区生态环境分局")
    expect(lianchi_card.locator(".task-status")).to_have_text("已退回")
    expect(lianchi_card).to_contain_text(RETURN_COMMENTS)
    snap(city, screenshot_dir, "04-city-review-returned")

    lianchi = counties["130606"]
    lianchi.reload()
    expect(lianchi.locator("#returned-comments")).to_contain_text(f"审核意见：{RETURN_COMMENTS}")
    snap(lianchi, screenshot_dir, "05-county-returned")
    submit_final_list(lianchi, tmp_path, 2)
    expect(lianchi.locator("#rounds .round[data-round='1'] .comments")).to_contain_text(RETURN_COMMENTS)

    city.reload()
    review(city, "莲池区生态环境分局", "通过")
    review(city, "涿州市生态环境分局", "通过", "同意。")
    expect(city.locator(".child-task .task-status")).to_have_text(["已通过", "已通过"])
    step(city, "提交任务")
    expect(city.locator("#lower-status")).to_contain_text("涿州市生态环境分局 已通过")
    submit_final_list(city, tmp_path, 1)

    province.reload()  # 市级任务情况, where 下发任务 led
    expect(province.locator("#task-steps .active")).to_have_text("市级任务情况")
    expect(province.locator(".child-task", has_text="石家庄市生态环境局").locator(".task-status")).to_have_text("待确认")
    review(province, "保定市生态环境局", "通过")

    # 5. The province issues the notice (to Baoding only: 石家庄市's roster is not approved);
    #    Baoding adds its own requirements and dispatches to its counties.
    menu(province, "清审任务管理")
    province.get_by_role("link", name="发布清审任务通知").click()
    overview = province.locator("table", has_text="名单核定")
    expect(overview.locator("tr", has_text="保定市生态环境局")).to_contain_text("将发布")
    expect(overview.locator("tr", has_text="石家庄市生态环境局")).to_contain_text("名单核定未通过，暂不发布")
    province.get_by_role("button", name="发布").click()
    expect(success(province)).to_have_text("已发布清审任务通知：保定市生态环境局（共 1 个地市）。")

    menu(city, "清审任务管理")
    row = city.locator("#notice-task-table tbody tr", has_text="保定市生态环境局")
    expect(row.locator(".badge", has_text="待派发")).to_be_visible()
    row.get_by_role("link", name="详情").click()
    expect(city.locator("#industry-counts")).to_contain_text("保定市，共 3 家")
    city.locator("#next-step").click()
    city.get_by_label("文号").fill("(2021)—34")
    city.get_by_label("通知要求").fill("请各区县于2021年10月15日前将告知书送达企业。")
    city.get_by_label("联系人").fill("李强")
    city.get_by_label("联系方式").fill("0312-5012345")
    city.locator("#save-next").click()
    expect(success(city)).to_have_text("已保存本级任务信息。")
    step(city, "下发任务")
    expect(city.locator("#dispatch-form")).to_contain_text("下发后任务将转发至本辖区名单企业所在的 2 个区县")
    expect(city.locator("#attestation")).to_have_text(
        "电子形式内容完全等同于纸质效力，请确认本次任务内容完整、准确，并对此承担责任。")
    snap(city, screenshot_dir, "06-notice-dispatch")
    city.locator("#dispatch-form").get_by_label(ATTEST).check()
    city.locator("#dispatch-button").click()
    expect(success(city)).to_have_text("任务已下发至 2 个区县。")

    # 6. 涿州市: the letters (merged PDF, a background job), their stamped copies, 下发任务.
    zhuozhou = counties["130681"]
    menu(zhuozhou, "清审任务管理")
    row = zhuozhou.locator("#notice-task-table tbody tr", has_text="涿州市生态环境分局")
    expect(row.locator(".badge", has_text="待派发")).to_be_visible()
    row.get_by_role("link", name="详情").click()
    expect(zhuozhou.locator(".level-info", has_text="保定市生态环境局")).to_contain_text("(2021)—34")
    step(zhuozhou, "告知书")
    letters_url = zhuozhou.url
    letter_rows = zhuozhou.locator("#letter-table tbody tr")
    expect(letter_rows).to_have_count(2)  # the enterprise marked 否 gets no letter
    expect(zhuozhou.locator("#generated-count")).to_have_text("0")
    snap(zhuozhou, screenshot_dir, "07-letters")
    zhuozhou.get_by_role("button", name="批量下载（合并为一个 PDF）").click()
    expect(zhuozhou).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(zhuozhou.locator("#job-status")).to_have_text("已完成：2 / 2", timeout=POLL_TIMEOUT)
    assert_chinese_rendered(zhuozhou, "#job-progress .card-title")
    snap(zhuozhou, screenshot_dir, "08-letters-job")
    with zhuozhou.expect_download() as download:
        zhuozhou.locator("#job-download").click()
    assert download.value.suggested_filename == "涿州市企业告知书（2 份）.pdf"
    merged = tmp_path / "letters.pdf"
    download.value.save_as(merged)

    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "110", "-png", "-singlefile", str(merged),
                    str(screenshot_dir / "cascade-09-letter")], check=True)
    letters = read_letters(merged)
    assert [letter.enterprise for letter in letters] == list(ZHUOZHOU[:2])
    for letter in letters:
        assert re.fullmatch(r"2021-392-130681-00\d", letter.number), letter.number
        assert re.fullmatch(r"QY130681\d{4}", letter.account), letter.account
        assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", letter.code), letter.code
        assert "2022年2月1日" in letter.text and "2022年3月1日" not in letter.text  # Baoding's stricter date
    assert letters[0].account != letters[1].account and letters[0].code != letters[1].code

    zhuozhou.goto(letters_url)
    expect(zhuozhou.locator("#generated-count")).to_have_text("2")

    # the first letter's stamped copy one by one: the letter's own pages, as a PDF
    first, second = letters
    stamped = tmp_path / f"盖章版-{first.number}.pdf"
    write_pages(merged, first.pages, stamped)
    letter_rows.filter(has_text=first.enterprise).get_by_role("link", name="上传盖章版").click()
    zhuozhou.get_by_label("盖章版告知书").set_input_files(stamped)
    zhuozhou.get_by_role("button", name="上传").click()
    expect(success(zhuozhou)).to_have_text(f"已上传 {first.enterprise} 的盖章版告知书（第 1 版）。")

    # 下发任务 is refused while a letter has no stamped copy
    step(zhuozhou, "下发任务")
    expect(zhuozhou.locator("#missing-letters")).to_contain_text(f"还有 1 家企业没有上传当前版本的盖章版告知书：{second.enterprise}")
    zhuozhou.locator("#dispatch-form").get_by_label(ATTEST).check()
    zhuozhou.locator("#dispatch-button").click()
    expect(zhuozhou.locator("#dispatch-form .alert-danger")).to_have_text(
        f"还有 1 家企业没有上传盖章版告知书：{second.enterprise}。全部上传后才能下发。")
    expect(zhuozhou.locator("#task-status")).to_have_text("待派发")
    snap(zhuozhou, screenshot_dir, "10-dispatch-refused")

    # the second letter through the bulk scan upload: its two pages printed to PNG images
    first_page, last_page = second.pages[0] + 1, second.pages[-1] + 1
    subprocess.run(["pdftoppm", "-f", str(first_page), "-l", str(last_page), "-r", "150", "-png", str(merged),
                    str(tmp_path / "scan")], check=True)
    scans = sorted(tmp_path.glob("scan-*.png"))
    assert len(scans) == len(second.pages) == 2
    step(zhuozhou, "告知书")
    zhuozhou.get_by_role("link", name="批量上传盖章件").click()
    zhuozhou.get_by_label("盖章件扫描").set_input_files(scans)
    zhuozhou.get_by_role("button", name="上传并识别").click()
    expect(zhuozhou.locator("#scan-summary")).to_have_text("共 2 页，已对应 2 页，未对应 0 页", timeout=POLL_TIMEOUT)
    expect(zhuozhou.locator("#scan-table tbody tr .outcome")).to_have_text(["已匹配", "已匹配"])
    expect(zhuozhou.locator("#scan-table tbody tr").first).to_contain_text(second.enterprise)
    snap(zhuozhou, screenshot_dir, "11-scan-results")
    zhuozhou.get_by_role("link", name="返回告知书").click()
    expect(zhuozhou.locator("#stamped-count")).to_have_text("2")
    step(zhuozhou, "下发任务")
    expect(zhuozhou.locator("#missing-letters")).to_have_count(0)
    zhuozhou.locator("#dispatch-form").get_by_label(ATTEST).check()
    zhuozhou.locator("#dispatch-button").click()
    expect(success(zhuozhou)).to_have_text("任务已下发至企业。企业可凭告知书上的账号和激活码登录系统接受任务。")
    expect(zhuozhou.locator("#task-status")).to_have_text("已下发")

    # 7. The first enterprise activates its account with its letter's code and accepts.
    enterprise = open_page(new_context, problems)
    enterprise.goto("/accounts/login/")
    enterprise.get_by_role("link", name="首次登录？激活账号").click()
    expect(enterprise.get_by_role("heading", name="激活企业账号")).to_be_visible()
    enterprise.get_by_label("登录账户").fill(first.account)
    enterprise.get_by_label("激活码").fill(first.code)
    enterprise.get_by_label("新密码", exact=True).fill(ENTERPRISE_PASSWORD)
    enterprise.get_by_label("确认新密码").fill(ENTERPRISE_PASSWORD)
    assert_chinese_rendered(enterprise, "h2.h3")
    snap(enterprise, screenshot_dir, "12-activation")
    enterprise.get_by_role("button", name="激活并登录").click()
    expect(enterprise).to_have_url(re.compile(r"/projects/tasks/$"))
    expect(success(enterprise)).to_contain_text("账号已激活")
    row = enterprise.locator("#task-table tbody tr", has_text=CAMPAIGN)
    expect(row).to_contain_text("涿州市生态环境分局")
    expect(row).to_contain_text("待接受")
    row.get_by_role("link", name="详情").click()
    expect(enterprise.locator("#task-level-city")).to_contain_text("请各区县于2021年10月15日前将告知书送达企业。")
    lead, mobile = enterprise.get_by_label("企业项目负责人"), enterprise.get_by_label("移动电话（可接受短信）")
    lead.fill("张建国")
    mobile.fill("1381234567")  # ten digits
    enterprise.get_by_role("button", name="确认").click()
    expect(enterprise.locator("#accept-form .invalid-feedback")).to_have_text("请填写能接收短信的 11 位手机号码。")
    expect(enterprise.locator("#accept-form .alert-danger")).to_contain_text("您已填写的内容都已保留")
    expect(lead).to_have_value("张建国")
    expect(mobile).to_have_value("1381234567")
    snap(enterprise, screenshot_dir, "13-acceptance")
    mobile.fill("13812345678")
    enterprise.get_by_role("button", name="确认").click()
    expect(enterprise.locator("#project-number")).to_have_text(re.compile(r"^2021130681\d{5}$"))
    number = enterprise.locator("#project-number").inner_text()
    assert number == "202113068100001"  # year + county code + the county's first project
    expect(success(enterprise)).to_have_text(f"已接受清审任务，项目编号 {number}。")
    assert_chinese_rendered(enterprise, "#project-facts dt")
    snap(enterprise, screenshot_dir, "14-project")

    # 8. 涿州市's 任务统计: two notified, one accepted.
    menu(zhuozhou, "任务统计")
    zhuozhou.get_by_role("link", name=CAMPAIGN).click()
    expect(zhuozhou.locator("tr[data-region='130681'] td")).to_have_text(["涿州市", "2", "2", "2", "2", "1", "1"])
    assert_chinese_rendered(zhuozhou, ".statistics-table thead th")
    snap(zhuozhou, screenshot_dir, "15-statistics")

    # What the pages did, as the database has it.
    campaign = cascade.campaign
    statuses = dict(campaign.roster_tasks.values_list("organization__region_id", "status"))
    assert statuses == {"130000": "dispatched", "130600": "approved", "130681": "approved", "130606": "approved",
                        "130100": "pending"}
    assert campaign.members.get(enterprise__name=EXCLUDED).status == CampaignEnterprise.Status.EXCLUDED
    assert set(NoticeLetter.objects.filter(task__campaign=campaign).values_list("stamped_via", flat=True)) == {
        NoticeLetter.StampedVia.UPLOAD, NoticeLetter.StampedVia.SCAN}
    project = AuditProject.objects.get()
    assert (project.number, project.project_lead, project.project_lead_mobile) == (number, "张建国", "13812345678")
    assert project.accepted_by.username == first.account
    assert not NoticeTask.objects.filter(organization__region_id="130100").exists()
    assert problems == []


# --- the letters, as the county downloaded them ------------------------------------------------------


def read_letters(merged) -> list[SimpleNamespace]:
    """Each letter of the merged PDF: its pages, number, enterprise, account and activation code."""
    texts = pdf_text(merged)
    letters = []
    for index, text in enumerate(texts):
        flat = re.sub(r"\s+", "", text)
        found = re.search(r"登录账户：(QY\d+)；激活码：([A-Z0-9-]+)，", flat)
        number = re.search(r"(2021-392-\d{6}-\d{3})", flat)
        if number and re.search(r"强制性清洁生产审核事项告知书", flat) and (not letters or letters[-1].number != number[1]):
            letters.append(SimpleNamespace(number=number[1], pages=[], text="", enterprise=None, account=None, code=None))
        letter = letters[-1]
        letter.pages.append(index)
        letter.text += flat
        if found:
            letter.account, letter.code = found[1], found[2]
        if letter.enterprise is None:
            letter.enterprise = next((name for name in ZHUOZHOU if name in flat), None)
    return letters


def write_pages(source, indexes, target) -> None:
    reader, writer = PdfReader(source), PdfWriter()
    for index in indexes:
        writer.add_page(reader.pages[index])
    with open(target, "wb") as out:
        writer.write(out)
