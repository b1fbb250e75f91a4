"""评估、验收审核 through the real UI (Debian's Chromium, the live server), each party in its own
browser context with its own account.

A. 市直管 (莲池测试企业, county 130606): 莲池区 finds a problem in one step and returns the
   application (the enterprise reads it on its phase page); the new version passes 莲池区 and
   保定市 (which, still at the county's turn, had no form); 保定市 draws from a pool too small
   for the rules (refused, naming the expert 同县回避 excluded, the attempt kept as 未成功),
   then from a larger pool; a member declines, is replaced (补抽) and both draws re-verify
   (复核一致); the group is confirmed; each expert gives its opinion (an expert not drawn gets
   the 404 page; the leader cannot compile before the others); the leader compiles; 保定市
   records the site review (a rectification item, a photo), is refused a result without an
   opinion (typed values kept), then orders 整改 with a date; the enterprise finds its phases
   reopened and downloads the opinion PDF; the third version is decided 通过; acceptance, with
   the confirmed 实施后 benchmark, is decided 通过 and carries the level on the page and in the
   PDF.
B. 省直管 (涿州测试企业): 涿州市 and 保定市 pass the intake, 保定市 forwarding to the province
   (待省级受理审核); 涿州市 then has no form, and is refused when it acts anyway (a stale page,
   a post of its own); 保定市 has no draw form; the province takes the intake, draws from its
   pool, records the site review and decides 通过; acceptance 通过 by the province.

Only the submissions and the parts already driven in A (B's experts, the second round and the
acceptances up to the decision) are arranged with services. Every expert is MADE UP (测试专家…).
Screenshots go to var/screenshots/reviews-*.png.
"""

import datetime
import re
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from qingshen.core.roles import Role
from qingshen.files.tests.samples import jpeg_bytes
from qingshen.filings.models import PhaseFiling, phases_of
from qingshen.options.tests.helpers import project_for
from qingshen.reviews import services, steps
from qingshen.reviews.models import Assignment, Review
from qingshen.reviews.tests.helpers import made_up_expert, submit
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

LEVEL_II = "II级（国内清洁生产先进水平）"
PROBLEM = "预审核未说明园区污水集中处理情况（测试）。"
EVALUATION = [phase.value for phase in phases_of("evaluation")]


# --- the browser ---------------------------------------------------------------------------------




def snap(page: Page, directory, name: str) -> None:
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=directory / f"reviews-{name}.png", full_page=True)


def expect_success(page: Page, text: str) -> None:
    expect(page.locator(".alert-success")).to_have_text(text)


def expect_status(page: Page, label: str) -> None:
    expect(page.locator(".page-body .review-status").first).to_have_text(label)


def open_from_worklist(page: Page, review, status: str) -> None:
    page.goto("/reviews/")
    row = page.locator(f"#worklist tr[data-review='{review.pk}']")
    expect(row.locator(".review-status")).to_have_text(status)
    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/reviews/{review.pk}/$"))


def fill_intake(page: Page, problems: dict | None = None) -> None:
    """Every step 无误, except those in `problems` (step code → the problem in words)."""
    problems = problems or {}
    form = page.locator("#intake-form")
    expect(form.locator(".intake-step")).to_have_count(len(steps.steps_of("evaluation")))
    for row in form.locator(".intake-step").all():
        code = row.get_attribute("data-step")
        if code in problems:
            row.locator("input[type=radio][value='0']").check()
            row.locator("textarea").fill(problems[code])
        else:
            row.locator("input[type=radio][value='1']").check()


def pass_intake(page: Page, next_status: str) -> None:
    fill_intake(page)
    page.locator("#conclude-intake").click()
    expect_success(page, f"已办理：{next_status}。")
    expect_status(page, next_status)
    expect(page.locator("#intake-form")).to_have_count(0)


def draw(page: Page, size: int) -> None:
    form = page.locator("#draw-form")
    form.get_by_label("专家组人数").select_option(str(size))
    page.locator("#draw-experts").click()


def record_site_visit(page: Page, *, rectification: str = "", photo=None) -> None:
    form = page.locator("#site-form")
    form.get_by_label("现场审核日期").fill(timezone.localdate().isoformat())
    form.get_by_label("地点").fill("企业厂区（测试）")
    form.get_by_label("核查内容").fill("核查废水回用设施运行记录和用水计量台账（测试）。")
    form.get_by_label("发现的问题").fill("计量台账不全（测试）。")
    form.get_by_label("整改要求").fill(rectification)
    if photo:
        form.locator("#site-photos").set_input_files(photo)
    page.locator("#save-site-visit").click()
    expect_success(page, "已记录现场审核。")
    expect_status(page, "待出具审核结果")


def decide(page: Page, conclusion: str, opinion: str, rectify_by: datetime.date | None = None) -> None:
    form = page.locator("#decision-form")
    form.get_by_label(conclusion, exact=True).check()
    form.get_by_label("审核意见").fill(opinion)
    if rectify_by:
        form.get_by_label("整改后重新提交期限").fill(rectify_by.isoformat())
    page.locator("#decide").click()


def download_opinion(page: Page) -> bytes:
    with page.expect_download() as info:
        page.locator("#download-opinion").click()
    content = info.value.path().read_bytes()
    assert content.startswith(b"%PDF"), content[:20]
    return content


def pdf_text(content: bytes) -> str:
    """The PDF's text as poppler reads it, without line breaks or spaces."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()
    return re.sub(r"\s+", "", text)


POST = """([action, fields]) => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = action;
  const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  for (const [name, value] of [["csrfmiddlewaretoken", token], ...fields]) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.append(input);
  }
  document.body.append(form);
  form.submit();
}"""


def post(page: Page, action: str, fields: list) -> None:
    """A form the page does not offer, posted as a browser would (with the page's CSRF token)."""
    with page.expect_navigation():
        page.evaluate(POST, [action, fields])


# --- arranged with services (the same acts as driven through the UI above) -----------------------


def made_up_experts():
    from qingshen.experts.models import Expert

    return list(Expert.objects.filter(name__startswith="测试专家").select_related("user").order_by("pk"))


def active_of(review) -> list[Assignment]:
    """The group as it stands, the leader first."""
    active = Assignment.objects.filter(review=review, status=Assignment.Status.ACTIVE).select_related("expert__user")
    return sorted(active, key=lambda a: (a.role != Assignment.Role.LEADER, a.pk))


def to_deciding(review, intake_officials, handler) -> Review:
    """Intake by each level, the draw, the opinions, the compilation and the site review."""
    for official in intake_officials:
        services.check_steps(official, review, {code: (True, "") for code, _ in steps.steps_of(review.stage)})
        review = services.conclude_intake(official, review)
    attempt = services.draw_experts(handler, review, size=3)
    assert attempt.succeeded, attempt.message
    review = services.form_group(handler, review)
    active = active_of(review)
    for assignment in active:
        services.give_opinion(assignment.expert.user, review, opinion="同意（测试）。")
    leader = next(a for a in active if a.role == Assignment.Role.LEADER)
    services.compile_opinion(leader.expert.user, review, text="专家组意见：基本符合要求（测试）。")
    services.record_site_visit(handler, review, visited_on=timezone.localdate(), place="企业厂区（测试）",
                               present=[a.pk for a in active], checked="核查方案实施情况（测试）。")
    return Review.objects.get(pk=review.pk)


def confirm_after_benchmark(world, project, enterprise_user, reviewer) -> None:
    """The enterprise's 实施后 benchmark on the made-up system, confirmed at II by `reviewer`."""
    from qingshen.benchmarking import services as benchmarking
    from qingshen.benchmarking.tests.helpers import answers, import_made_up

    benchmark = benchmarking.save_benchmark(enterprise_user, project, "after", system=import_made_up(world),
                                            answers=answers(), in_approved_park=True, centralized_treatment=True)
    benchmarking.confirm_benchmark(reviewer, benchmark)


def decide_acceptance(page: Page, review) -> None:
    """The handling level decides the acceptance 通过 in the UI: the confirmed level is shown
    before, on the result and in the opinion PDF."""
    page.goto(review.get_absolute_url())
    expect(page.locator("#decision-form .alert-info")).to_contain_text(LEVEL_II)
    decide(page, "通过", "同意通过验收（测试）。")
    expect_success(page, "已出具审核结果。")
    expect(page.locator("#result .result-conclusion")).to_have_text("通过")
    expect(page.locator("#result")).to_contain_text(f"清洁生产水平：{LEVEL_II}")
    text = pdf_text(download_opinion(page))
    assert f"清洁生产水平：{LEVEL_II}" in text, text
    assert "结论：通过" in text, text


# --- A. 市直管 ------------------------------------------------------------------------------------


def test_city_handled_from_a_return_through_rectification_to_acceptance(
        accepted_world, live_server, new_context, screenshot_dir, tmp_path):
    world, problems = accepted_world, []
    project = project_for(world, world.e_lianchi, "202113060600001")
    enterprise_user, today = world.other_enterprise_user, timezone.localdate()

    # 1. 莲池区 finds a problem in 预审核 and returns the application.
    first = submit(world, project)
    county = sign_in_as(open_page(new_context, problems), world.other_county_user)
    open_from_worklist(county, first, "待县级受理审核")
    fill_intake(county, {"pre_assessment": PROBLEM})
    assert_chinese_rendered(county, "#intake-form .card-title")
    snap(county, screenshot_dir, "1-county-intake")
    county.locator("#conclude-intake").click()
    expect_success(county, "已办理：受理退回。")
    expect_status(county, "受理退回")
    expect(county.locator("#intake-checks tr[data-step='pre_assessment'] .step-problem")).to_have_text(
        f"问题：{PROBLEM}")

    # The enterprise: 预审核 alone reopened (填报中), the problem shown where it revises it.
    enterprise = sign_in_as(open_page(new_context, problems), enterprise_user)
    enterprise.goto(f"/filings/projects/{project.pk}/")
    phases = enterprise.locator("#stage-evaluation .phase-status")
    expect(phases).to_have_text(["填报中" if phase == "pre_assessment" else "已提交" for phase in EVALUATION])
    filing = PhaseFiling.objects.get(project=project, phase="pre_assessment")
    enterprise.goto(f"/filings/{filing.pk}/")
    expect(enterprise.locator("#phase-summary .phase-status")).to_have_text("填报中")
    expect(enterprise.locator("#review-comments")).to_contain_text(f"县级：{PROBLEM}")

    # 2. Version 2: the city, still at the county's turn, has no form; 莲池区, then 保定市 pass it.
    second = submit(world, project)
    assert second.application.number == 2
    city = sign_in_as(open_page(new_context, problems), world.user(Role.CITY))
    city.goto(second.get_absolute_url())
    expect_status(city, "待县级受理审核")
    expect(city.locator("#intake-form")).to_have_count(0)
    open_from_worklist(county, second, "待县级受理审核")
    expect(county.locator("a", has_text="第 1 版（受理退回）")).to_be_visible()
    pass_intake(county, "待市级受理审核")
    open_from_worklist(city, second, "待市级受理审核")
    pass_intake(city, "待抽取专家")

    # 3. The pool is too small: one eligible expert and one of 莲池区 (同县回避).
    made_up_expert("同县测试专家", pool="130600", home="130606")
    made_up_expert("测试专家1")
    city.goto("/reviews/")
    expect(city.locator(f"#worklist tr[data-review='{second.pk}'] .review-status")).to_have_text("待抽取专家")
    snap(city, screenshot_dir, "2-city-worklist")
    city.locator(f"#worklist tr[data-review='{second.pk}']").get_by_role("link").click()
    draw(city, 3)
    refusal = city.locator("#draw-form .alert-danger")
    expect(refusal).to_contain_text("第 1 次抽取未成功（已记录）")
    expect(refusal).to_contain_text("同县测试专家——与企业同在 130606（同县回避）")
    expect(refusal).to_contain_text("符合条件的只有 1 人")
    expect(city.locator("#draw-attempts li")).to_have_count(1)
    expect(city.locator("#draw-attempts li").first).to_contain_text("未成功")
    expect(city.locator("#group")).to_have_count(0)

    # … with five more it succeeds; a member declines and is replaced.
    for number in range(2, 7):
        made_up_expert(f"测试专家{number}")
    draw(city, 3)
    expect_success(city, "已抽取专家。")
    group = city.locator("#group tbody tr")
    expect(group).to_have_count(3)
    expect(group.filter(has_text="组长")).to_have_count(1)
    expect(group.first.locator("td:nth-child(4)")).to_have_text("组长")  # the leader heads the group
    member = Assignment.objects.filter(review=second, role=Assignment.Role.MEMBER).select_related("expert").first()
    row = city.locator(f"#group tr[data-expert='{member.expert.name}']")
    row.locator("input[name=reason]").fill("外出开会，无法参加（测试）")
    row.get_by_role("button", name="登记谢绝").click()
    expect_success(city, "已登记专家谢绝，请补抽。")
    expect(row).to_contain_text("谢绝（外出开会，无法参加（测试））")
    row.get_by_role("button", name="补抽").click()
    expect_success(city, "已补抽专家。")
    expect(group).to_have_count(4)
    expect(group.locator("td:nth-child(5)").filter(has_text=re.compile(r"^参加$"))).to_have_count(3)
    attempts = city.locator("#draw-attempts li")
    expect(attempts).to_have_count(3)
    expect(attempts.nth(2)).to_contain_text("第 3 次补抽")
    snap(city, screenshot_dir, "3-draw")
    for number in (1, 2):  # the draw and the substitute re-run from their records
        attempts.nth(number).get_by_role("link", name="复核").click()
        expect(city.locator(".verify-message")).to_contain_text("复核一致")
        expect(city.locator("#exclusions")).to_contain_text("同县测试专家：与企业同在 130606（同县回避）")
        city.go_back()
    city.locator("#form-group").click()
    expect_success(city, "已确认专家组，进入线上文审。")
    expect_status(city, "线上文审")

    # 4. The experts' opinions. Not drawn: the 404 page. The leader compiles once all are in.
    active = active_of(second)
    drawn = {a.expert_id for a in Assignment.objects.filter(review=second)}
    outsider = next(e for e in made_up_experts() if e.pk not in drawn)
    stranger = sign_in_as(open_page(new_context, problems), outsider.user)
    response = stranger.goto(second.get_absolute_url())
    assert response.status == 404
    expect(stranger.locator(".empty-title")).to_have_text("您要找的页面不存在，或不在您的管辖范围内")
    expect(stranger.locator("#opinion-form")).to_have_count(0)

    leader, *members = active
    assert leader.role == Assignment.Role.LEADER
    lead = sign_in_as(open_page(new_context, problems), leader.expert.user)
    open_from_worklist(lead, second, "线上文审")
    lead.get_by_label("审核意见").fill(f"{leader.expert.name}：审核报告基本规范（测试）。")
    lead.locator("#submit-opinion").click()
    expect_success(lead, "已提交文审意见。")
    lead.get_by_label("专家组意见").fill("专家组意见（测试）。")
    lead.locator("#compile-opinion").click()
    waiting = "、".join(a.expert.name for a in members)
    expect(lead.locator("#compile-form .alert-danger")).to_have_text(f"还有专家未提交文审意见：{waiting}。")
    expect(lead.get_by_label("专家组意见")).to_have_value("专家组意见（测试）。")
    for assignment in members:
        page = sign_in_as(open_page(new_context, problems), assignment.expert.user)
        page.goto(second.get_absolute_url())
        expect(page.locator("#compile-form")).to_have_count(0)
        page.get_by_label("审核意见").fill(f"{assignment.expert.name}：同意（测试）。")
        page.locator("#submit-opinion").click()
        expect_success(page, "已提交文审意见。")
        page.context.close()
    lead.goto(second.get_absolute_url())
    lead.get_by_label("专家组意见").fill("专家组认为审核报告基本规范，需完善用水计量（测试）。")
    lead.locator("#compile-opinion").click()
    expect_success(lead, "已汇总专家组意见，进入现场审核。")
    expect(lead.locator("#group-opinion")).to_have_text("专家组认为审核报告基本规范，需完善用水计量（测试）。")

    # 5. The site review, with a rectification item and a photo.
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(jpeg_bytes())
    deadline = today + datetime.timedelta(days=30)
    city.goto(second.get_absolute_url())
    expect_status(city, "现场审核")
    record_site_visit(city, rectification=f"完善用水计量台账（测试）｜{deadline.isoformat()}", photo=str(photo))
    expect(city.locator("#site-photos-list a")).to_have_count(1)
    photo = city.request.get(city.locator("#site-photos-list a").get_attribute("href"))
    assert photo.ok and photo.body().startswith(b"\xff\xd8")  # the JPEG uploaded

    # 6. A result without an opinion is refused, what was typed kept; then 整改.
    rectify_by = today + datetime.timedelta(days=20)
    decide(city, "整改", "", rectify_by)
    form = city.locator("#decision-form")
    expect(form.locator(".invalid-feedback")).to_have_text("请填写审核意见。")
    expect(form.get_by_label("整改", exact=True)).to_be_checked()
    expect(form.get_by_label("整改后重新提交期限")).to_have_value(rectify_by.isoformat())
    snap(city, screenshot_dir, "4-decision-refused")
    form.get_by_label("审核意见").fill("请按现场审核意见完善用水计量台账后重新提交（测试）。")
    city.locator("#decide").click()
    expect_success(city, "已出具审核结果。")
    expect_status(city, "整改")
    result = city.locator("#result")
    expect(result.locator(".result-conclusion")).to_have_text("整改")
    expect(result).to_contain_text(f"{deadline:%Y}年{deadline.month}月{deadline.day}日 前")

    # The enterprise: every phase reopened, the opinion PDF on the review page.
    enterprise.goto(f"/filings/projects/{project.pk}/")
    expect(phases).to_have_text(["填报中"] * len(EVALUATION))
    enterprise.goto(f"/filings/{filing.pk}/")
    expect(enterprise.locator("#phase-summary .phase-status")).to_have_text("填报中")
    expect(enterprise.locator("#review-comments")).to_contain_text("评估审核要求整改")
    enterprise.locator("#review-comments").get_by_role("link", name="查看审核意见").click()
    expect_status(enterprise, "整改")
    text = pdf_text(download_opinion(enterprise))
    assert "结论：整改" in text and "完善用水计量台账（测试）" in text, text

    # 7. Version 3, arranged up to the result; 通过 in the UI.
    third = to_deciding(submit(world, project), [world.other_county_user, world.user(Role.CITY)],
                        world.user(Role.CITY))
    city.goto(third.get_absolute_url())
    expect(city.locator("a", has_text="第 2 版（整改）")).to_be_visible()
    decide(city, "通过", "同意通过评估（测试）。")
    expect_success(city, "已出具审核结果。")
    expect(city.locator("#result .result-conclusion")).to_have_text("通过")
    expect(city.locator("#result")).to_contain_text("验收期限：")

    # 8. Acceptance with the confirmed 实施后 benchmark: 通过 carries its level.
    confirm_after_benchmark(world, project, enterprise_user, world.user(Role.CITY))
    acceptance = to_deciding(submit(world, project, "acceptance"), [world.other_county_user, world.user(Role.CITY)],
                             world.user(Role.CITY))
    decide_acceptance(city, acceptance)
    snap(city, screenshot_dir, "5-acceptance-passed")
    assert not problems, problems


# --- B. 省直管 ------------------------------------------------------------------------------------


def test_province_handled_forwarded_by_the_city_and_decided_by_the_province(
        accepted_world, live_server, new_context, screenshot_dir):
    world, problems = accepted_world, []
    project = world.project
    review = submit(world, project)
    for number in range(1, 5):
        made_up_expert(f"测试专家{number}")  # the province's pool

    # 涿州市 passes the intake; a second tab keeps the form it had open.
    county = sign_in_as(open_page(new_context, problems), world.user(Role.COUNTY))
    open_from_worklist(county, review, "待县级受理审核")
    stale = county.context.new_page()
    stale.on("pageerror", lambda error: problems.append(f"script error on {stale.url}: {error}"))
    stale.goto(review.get_absolute_url())
    expect(stale.locator("#intake-form")).to_be_visible()
    pass_intake(county, "待市级受理审核")

    # 保定市 forwards it to the province.
    city = sign_in_as(open_page(new_context, problems), world.user(Role.CITY))
    open_from_worklist(city, review, "待市级受理审核")
    pass_intake(city, "待省级受理审核")

    # 涿州市 now has no form; acting anyway (the stale tab, a post of its own) is refused.
    county.reload()
    expect_status(county, "待省级受理审核")
    expect(county.locator("#intake-form")).to_have_count(0)
    fill_intake(stale)
    stale.locator("#conclude-intake").click()
    expect(stale.locator(".alert-danger")).to_contain_text("该审核已被他人处理或已更新")
    post(county, f"/reviews/{review.pk}/intake/",
         [[f"{code}__ok", "1"] for code, _ in steps.steps_of("evaluation")] + [["conclude", "1"]])
    expect(county.locator(".alert-danger").first).to_have_text("当前由省级生态环境部门受理审核，不能由您办理。")
    expect_status(county, "待省级受理审核")
    assert Review.objects.get(pk=review.pk).status == Review.Status.PROVINCE_INTAKE

    # The province takes the intake and draws from its pool; the city has no draw form.
    province = sign_in_as(open_page(new_context, problems), world.user(Role.PROVINCE))
    open_from_worklist(province, review, "待省级受理审核")
    pass_intake(province, "待抽取专家")
    city.goto(review.get_absolute_url())
    expect(city.locator("#draw-form")).to_have_count(0)
    draw(province, 3)
    expect_success(province, "已抽取专家。")
    expect(province.locator("#group tbody tr")).to_have_count(3)
    province.locator("#draw-attempts").get_by_role("link", name="复核").click()
    expect(province.locator(".verify-message")).to_contain_text("复核一致")
    province.go_back()
    province.locator("#form-group").click()
    expect_success(province, "已确认专家组，进入线上文审。")

    # The experts (as driven in A), then the province's site review and 通过.
    active = active_of(review)
    for assignment in active:
        services.give_opinion(assignment.expert.user, review, opinion="同意（测试）。")
    services.compile_opinion(active[0].expert.user, review, text="专家组意见：基本符合要求（测试）。")
    province.reload()
    expect_status(province, "现场审核")
    record_site_visit(province)
    decide(province, "通过", "同意通过评估（测试）。")
    expect_success(province, "已出具审核结果。")
    expect(province.locator("#result .result-conclusion")).to_have_text("通过")
    snap(province, screenshot_dir, "6-province-passed")
    text = pdf_text(download_opinion(province))
    assert "结论：通过" in text and "省级" in text, text

    # Acceptance: arranged up to the result, the province decides 通过.
    confirm_after_benchmark(world, project, world.user(Role.ENTERPRISE), world.user(Role.CITY))
    acceptance = to_deciding(submit(world, project, "acceptance"),
                             [world.user(Role.COUNTY), world.user(Role.CITY), world.user(Role.PROVINCE)],
                             world.user(Role.PROVINCE))
    decide_acceptance(province, acceptance)
    assert not problems, problems
