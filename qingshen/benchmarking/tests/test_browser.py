"""对标 through the real UI (Debian's Chromium, the live server), each party in its own browser
context with its own account:

1. 省 opens the shipped partial 综合电镀 table (不完整), sees the gaps of the source and tries
   (试算) it;
2. 省 imports the MADE-UP verified system from a YAML file, is refused two broken files with
   Chinese errors, and importing the same file twice is refused as identical;
3. 涿州测试企业 fills 审核前 (refused once for a value that is not a number, its typing kept) and
   实施后, and sees its levels, the check against Hebei's water target and the 审核前后对比;
4. 保定市 confirms 实施后, correcting one qualitative answer (refused without a reason);
   the enterprise can no longer change that stage;
5. 省 sees the confirmed level in 对标统计 and follows the figure to the enterprise.

The made-up system's numbers are invented (see helpers.py); the expected indices are worked out
by hand in the comments. Screenshots go to var/screenshots/benchmarking-*.png.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from qingshen.benchmarking.formats import yaml_format
from qingshen.benchmarking.models import IndicatorSystem
from qingshen.benchmarking.tests.helpers import REQ, made_up_definition
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

SHIPPED = "综合电镀清洁生产评价指标（表1，前12项）"
MADE_UP = "虚构测试指标体系（仅用于测试）"
ENTERPRISE = "涿州测试企业"


def sign_in(page: Page, world, role: Role) -> None:
    sign_in_as(page, world.user(role))


def menu(page: Page, item: str) -> None:
    page.locator("#main-menu").get_by_role("link", name=item, exact=True).click()


def snap(page: Page, directory, name: str) -> None:
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=directory / f"benchmarking-{name}.png", full_page=True)


def expect_indices(result, first: str, second: str, third: str) -> None:
    expect(result.locator(".index-I")).to_have_text(first)
    expect(result.locator(".index-II")).to_have_text(second)
    expect(result.locator(".index-III")).to_have_text(third)


def fill_made_up(form, water: str, reuse: str, metal_a: str) -> None:
    """All three made-up requirements met (row 1 at I); metal B (row 5) does not apply."""
    for requirement in REQ:
        form.locator(f"input[name=a1_met][value='{requirement}']").check()
    form.locator("[name=a2_value]").fill(water)
    form.locator("[name=a3_value]").fill(reuse)
    form.locator("[name=a4_value]").fill(metal_a)
    form.locator("[name=a5_applicable]").uncheck()


def test_benchmarking_from_the_indicator_table_to_the_statistics(
        accepted_world, live_server, new_context, screenshot_dir, tmp_path):
    world, project, problems = accepted_world, accepted_world.project, []

    # 1. 省: the shipped partial table, marked 不完整, as the source has it …
    province = open_page(new_context, problems)
    sign_in(province, world, Role.PROVINCE)
    menu(province, "清洁生产评价指标体系")
    shipped_row = province.locator("#system-table tr[data-code='electroplating-comprehensive']")
    expect(shipped_row).to_contain_text("不完整")
    shipped_row.get_by_role("link", name=SHIPPED).click()
    expect(province.locator("#not-official")).to_be_visible()
    expect(province.locator("#not-official")).to_contain_text("不完整")
    table = province.locator(".system-table tbody tr")
    expect(table).to_have_count(12)
    for seq in (1, 2, 4):  # level III not in the stored excerpt: the last cell (III) says so
        expect(province.locator(f".system-table tr[data-seq='{seq}'] td").last).to_have_text("（来源未载明）")
    expect(province.locator(".system-table tr[data-seq='3'] td").last).to_contain_text("电镀生产线采用节能措施")
    assert_chinese_rendered(province, "#not-official")
    snap(province, screenshot_dir, "1-partial-table")

    # … and 试算 on it: row 5 at 20 L/m2 (≤24: II, not ≤8: I), 锌 at 83 % (≥82: I), the other six
    # metals not applicable, the qualitative rows 1–4 left unticked (met nothing: below III, 0).
    # Weights renormalise: the groups' 0.33 + 0.1 + 0.18 = 0.61, so 资源消耗 weighs 0.1/0.61 =
    # 10/61 (row 5 alone: 0.1639) and 资源综合利用 18/61 (锌 alone of the 0.8/n: 0.2951).
    #   Y_I   = 100 × 18/61         = 29.508… → 29.51 (only 锌 reaches I)
    #   Y_II  = 100 × (10 + 18)/61  = 45.901… → 45.90 (rows 5 and 6)
    #   Y_III = the same            = 45.90
    # (not 100.00: rows 1–4 still weigh 33/61, scored 0) → below Y ≥ 85 / Y_III = 100: III级以下.
    province.locator("#try-system").click()
    form = province.locator("#try-form")
    form.locator("[name=a5_value]").fill("20")
    form.locator("[name=a6_value]").fill("83")
    for seq in range(7, 13):
        form.locator(f"[name=a{seq}_applicable]").uncheck()
    form.get_by_role("button", name="计算").click()
    result = province.locator("#try-result")
    expect(result.locator(".result-trial")).to_be_visible()
    expect(result.locator(".result-level")).to_have_text("III级以下")
    expect_indices(result, "29.51", "45.90", "45.90")
    expect(result.locator("tr[data-seq='5'] .row-level")).to_have_text("II级")
    expect(result.locator("tr[data-seq='5'] td").nth(4)).to_have_text("0.1639")
    expect(result.locator("tr[data-seq='6'] .row-level")).to_have_text("I级")
    expect(result.locator("tr[data-seq='6'] td").nth(4)).to_have_text("0.2951")
    expect(result.locator("tr[data-seq='7']")).to_contain_text("不适用")
    # 试算 is outside a park: water indicators must reach I, and row 5 (water) is at II.
    check = province.locator(".target-check")
    expect(check.locator(".target-not-met")).to_be_visible()
    expect(check.locator("tr.table-danger[data-seq='5']")).to_contain_text("I级：≤8 L/m2")
    expect(form.locator("[name=a5_value]")).to_have_value("20")
    snap(province, screenshot_dir, "2-try")

    # 2. 省 imports the made-up system from YAML: preview, then 确认导入.
    good = tmp_path / "made-up.yaml"
    good.write_text(yaml_format.dump(made_up_definition()), encoding="utf-8")
    menu(province, "清洁生产评价指标体系")
    province.locator("#import-system").click()

    def upload(path):
        province.locator("#upload-form input[type=file]").set_input_files(path)
        province.locator("#upload-form").get_by_role("button", name="上传并检查").click()

    upload(good)
    expect(province.locator("#check-report")).to_contain_text(f"将导入：{MADE_UP}（代码 made-up-test-system），第 1 版")
    expect(province.locator("#check-report .system-table tbody tr")).to_have_count(5)
    expect(province.locator("#import-errors")).to_have_count(0)
    snap(province, screenshot_dir, "3-import-preview")
    province.locator("#confirm-form").get_by_role("button", name="确认导入").click()
    expect(province.locator(".alert-success")).to_have_text(f"已导入 {MADE_UP}（第 1 版）。")
    expect(province.locator("#system-status")).to_have_text("已核对")
    expect(province.locator("#not-official")).to_have_count(0)
    made_up = IndicatorSystem.objects.get(code="made-up-test-system")

    # Broken files: nothing to confirm, the problem named in Chinese.
    menu(province, "清洁生产评价指标体系")
    province.locator("#import-system").click()
    fake = tmp_path / "指标体系.xlsx"
    fake.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    upload(fake)
    expect(province.locator("#upload-form .invalid-feedback")).to_contain_text("它不是有效的 .xlsx 工作簿")
    expect(province.locator("#confirm-form")).to_have_count(0)
    broken = tmp_path / "broken.yaml"
    broken.write_text(good.read_text(encoding="utf-8").replace("    weight: 0.5\n", "    weight: 一半\n", 1),
                      encoding="utf-8")
    upload(broken)
    expect(province.locator("#import-errors")).to_contain_text("第 1 行（虚构工艺要求）：二级指标权重须为正数（现为「一半」）")
    expect(province.locator("#confirm-form")).to_have_count(0)
    snap(province, screenshot_dir, "4-import-errors")

    # The same file again: previewed as a 2nd version, refused on confirmation as identical.
    upload(good)
    expect(province.locator("#check-report")).to_contain_text("作为第 2 版（现有最新为第 1 版）")
    province.locator("#confirm-form").get_by_role("button", name="确认导入").click()
    expect(province.locator(".alert-danger")).to_have_text("与已有的第 1 版内容完全相同，未重复导入。")
    assert list(IndicatorSystem.objects.filter(code="made-up-test-system").values_list("version", flat=True)) == [1]

    # 3. The enterprise: 对标 → 填报 审核前. Both systems cover 3360; the verified one is preselected.
    enterprise = open_page(new_context, problems)
    sign_in(enterprise, world, Role.ENTERPRISE)
    menu(enterprise, "对标")
    expect(enterprise.locator("#before")).to_contain_text("尚未填报")
    enterprise.locator("#edit-before").click()
    expect(enterprise.locator("#id_system")).to_have_value(str(made_up.pk))
    expect(enterprise.locator("#id_system optgroup[label='适用于本企业行业'] option")).to_have_count(2)
    expect(enterprise.locator("#id_in_approved_park")).not_to_be_checked()  # 园区外: water must reach I
    form = enterprise.locator("#benchmark-form")
    fill_made_up(form, water="abc", reuse="85", metal_a="92")
    enterprise.locator("#save-benchmark").click()
    expect(form.locator("tr[data-seq='2'] .invalid-feedback")).to_have_text("第 2 项（虚构单位产品取水量）：请填写数字。")
    expect(form.locator("[name=a2_value]")).to_have_value("abc")
    expect(form.locator("[name=a2_value]")).to_have_class(re.compile(r"\bform-control\b.*\bis-invalid\b"))
    expect(form.locator("input[name=a1_met]").first).to_have_class("form-check-input")
    expect(form.locator("[name=a3_value]")).to_have_value("85")
    expect(form.locator("[name=a4_value]")).to_have_value("92")
    expect(form.locator("[name=a5_applicable]")).not_to_be_checked()
    expect(form.locator("input[name=a1_met]:checked")).to_have_count(3)
    snap(enterprise, screenshot_dir, "5-refused")
    form.locator("[name=a2_value]").fill("3")
    enterprise.locator("#save-benchmark").click()
    expect(enterprise.locator(".alert-success")).to_contain_text("已保存对标（审核前（预审核））")

    # Before: weights 0.4 × (0.5, 0.5) = 0.2, 0.2 and 0.6 × (0.4, 0.6/1) = 0.24, 0.36 (metal B
    # does not apply, so metal A takes the whole shared 0.6). Row 1 at I (甲乙丙), row 2 at II
    # (3 ≤ 4), row 3 at II (85 ≥ 80), row 4 at I (92 ≥ 90):
    #   Y_I = 100 × (0.2 + 0.36) = 56.00 < 85;  Y_II = Y_III = 100 × 1 = 100.00
    # → II, the restrictive row 2 being at II. 园区外: the water rows 2 and 3 must reach I.
    result = enterprise.locator("#result-before")
    expect(result.locator(".result-level")).to_have_text("II级（国内清洁生产先进水平）")
    expect(result.locator(".result-trial")).to_have_count(0)
    expect_indices(result, "56.00", "100.00", "100.00")
    check = enterprise.locator("#result-before + .target-check")
    expect(check.locator(".target-not-met")).to_be_visible()
    expect(check).to_contain_text("2 项未达到")
    expect(check.locator("tr.table-danger")).to_have_count(2)
    expect(check.locator("tr.table-danger[data-seq='2']")).to_contain_text("2. 虚构单位产品取水量")
    expect(check.locator("tr.table-danger[data-seq='2']")).to_contain_text("I级：≤2 m3/t")
    expect(check.locator("tr.table-danger[data-seq='3']")).to_contain_text("3. 虚构水重复利用率")
    expect(check.locator("tr.table-danger[data-seq='3']")).to_contain_text("I级：≥90 %")
    snap(enterprise, screenshot_dir, "6-before")

    # After: 1.8 m3/t (≤ 2), 92 % (≥ 90), 93 % (≥ 90): every row at I → Y_I = 100.00, level I.
    enterprise.locator("#edit-after").click()
    expect(enterprise.locator("#id_system")).to_have_value(str(made_up.pk))
    fill_made_up(enterprise.locator("#benchmark-form"), water="1.8", reuse="92", metal_a="93")
    enterprise.locator("#save-benchmark").click()
    expect(enterprise.locator(".alert-success")).to_contain_text("已保存对标（实施后（方案的实施））")
    result = enterprise.locator("#result-after")
    expect(result.locator(".result-level")).to_have_text("I级（国际清洁生产领先水平）")
    expect_indices(result, "100.00", "100.00", "100.00")
    expect(enterprise.locator("#result-after + .target-check .target-met")).to_be_visible()
    comparison = enterprise.locator("#comparison")
    for seq, change in ((1, "持平"), (2, "提升"), (3, "提升"), (4, "持平"), (5, "—")):
        expect(comparison.locator(f"tr[data-seq='{seq}'] .change")).to_have_text(change)
    expect(comparison.locator("tr[data-seq='2']")).to_contain_text("3 m3/t")
    expect(comparison.locator("tr[data-seq='2']")).to_contain_text("1.8 m3/t")
    assert_chinese_rendered(enterprise, "#comparison .card-title")
    snap(enterprise, screenshot_dir, "7-after-comparison")

    # 4. 保定市 confirms 实施后, finding 虚构要求丙 not met: row 1 drops to II, so
    #    Y_I = 100 − 20 = 80.00 < 85 and the confirmed level is II (Y_II still 100.00).
    city = open_page(new_context, problems)
    sign_in(city, world, Role.CITY)
    menu(city, "对标情况")
    city.locator("#benchmark-projects").get_by_role("link", name=project.number).click()
    city.locator("#review-after").click()
    review = city.locator("#review-form")
    review.locator(f"input[name=a1_met][value='{REQ[2]}']").uncheck()
    city.locator("#confirm-benchmark").click()
    expect(review.locator(".invalid-feedback")).to_have_text("更正了企业的定性指标答复，请填写理由。")
    expect(review.locator(f"input[name=a1_met][value='{REQ[2]}']")).not_to_be_checked()
    review.get_by_label("审核意见（理由）").fill("现场核查：虚构要求丙尚未落实（测试）。")
    city.locator("#confirm-benchmark").click()
    expect(city.locator(".alert-success")).to_have_text("已确认对标结果。")
    expect(city.locator("#after .confirmation")).to_contain_text("II级")
    expect(city.locator("#after .confirmation")).to_contain_text("虚构要求丙尚未落实")
    result = city.locator("#result-after")
    expect(result).to_contain_text("对标结果（审核确认）")
    expect(result.locator(".result-level")).to_have_text("II级（国内清洁生产先进水平）")
    expect_indices(result, "80.00", "100.00", "100.00")
    expect(city.locator("#comparison tr[data-seq='1'] .change")).to_have_text("下降")
    snap(city, screenshot_dir, "8-confirmed")

    enterprise.reload()
    expect(enterprise.locator("#edit-after")).to_have_count(0)
    expect(enterprise.locator("#edit-before")).to_have_text("修改")
    expect(enterprise.locator("#after .confirmation")).to_contain_text("II级")

    # 5. 省: 对标统计 counts 1 at II under each stage (实施后 as confirmed, 审核前 as entered),
    #    none at I after (the confirmation overrides the entry); the figure lists the enterprise.
    menu(province, "对标统计")
    total = province.locator(f"#campaign-{world.campaign.pk} tr[data-region='total']")
    expect(total.locator("td[data-stage='after'][data-level='II']")).to_have_text("1")
    expect(total.locator("td[data-stage='after'][data-level='I']")).to_have_text("0")
    expect(total.locator("td[data-stage='before'][data-level='II']")).to_have_text("1")
    expect(total.locator("td[data-stage='after'][data-level='recorded']")).to_have_text("1")
    snap(province, screenshot_dir, "9-statistics")
    total.locator("td[data-stage='after'][data-level='II'] a").click()
    listing = province.locator("#statistics-list tbody tr")
    expect(listing).to_have_count(1)
    expect(listing).to_contain_text(ENTERPRISE)
    expect(listing).to_contain_text("已确认")
    assert not problems, problems


def test_a_half_filled_entry_is_offered_back_after_a_refresh(accepted_world, live_server, new_context):
    """The entry form keeps what was typed (drafts.js); restoring it must not trip the system
    choice's reload (data-reload-with), which would throw the restored values away."""
    from qingshen.benchmarking.tests.helpers import import_made_up

    world, problems = accepted_world, []
    import_made_up(world)
    page = open_page(new_context, problems)
    sign_in(page, world, Role.ENTERPRISE)
    page.goto(f"/benchmarking/project/{world.project.pk}/before/")
    form = page.locator("#benchmark-form")
    fill_made_up(form, water="3.5", reuse="86", metal_a="91")
    page.wait_for_timeout(300)  # drafts.js saves on input, debounced
    url = page.url
    page.reload()
    expect(form.locator("[name=a2_value]")).to_have_value("")
    page.locator(".draft-offer").get_by_role("button", name="恢复").click()
    expect(form.locator("[name=a2_value]")).to_have_value("3.5")
    page.wait_for_timeout(500)  # a reload, if one were triggered, would have started by now
    assert page.url == url
    expect(form.locator("[name=a3_value]")).to_have_value("86")
    expect(form.locator("input[name=a1_met]:checked")).to_have_count(3)
    expect(form.locator("[name=a5_applicable]")).not_to_be_checked()
    assert problems == []
