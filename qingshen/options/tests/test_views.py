"""The pages: the ledger (edit for the enterprise side, read-only for officials), the form
(bad input → Chinese messages, nothing typed lost), the feasibility page and 方案汇总."""

from decimal import Decimal

import pytest
from django.urls import reverse

from qingshen.core.roles import Role
from qingshen.options import services
from qingshen.options.models import Feasibility, Option
from qingshen.options.tests.helpers import make_feasibility, make_option, project_for

FORM = {"code": "", "name": "中水回用改造（测试）", "phase": "option_generation", "cost_class": "high",
        "description": "测试说明", "investment": "120", "status": "proposed", "economic_benefit": "35",
        "water_saved": "12000", "cod_reduced": "", "nh3n_reduced": "", "energy_saved": "", "other_benefits": ""}


def ledger_url(project):
    return reverse("options:ledger", args=[project.pk])


def test_ledger_for_the_enterprise_lists_filters_and_totals(world, sign_in):
    make_option(world.project, "F1", name="测试方案甲", investment=Decimal("2"), status=Option.Status.IMPLEMENTED)
    make_option(world.project, "F2", name="测试方案乙", cost_class=Option.CostClass.HIGH, investment=Decimal("100"))
    client = sign_in(world.user(Role.ENTERPRISE))
    page = client.get(ledger_url(world.project)).content.decode()
    assert 'data-option="F1"' in page and 'data-option="F2"' in page
    assert 'id="add-option"' in page
    assert "未填写" in page  # F2's feasibility
    assert "102.00" in page  # total investment
    assert "时间节点" in page  # the deadlines box
    filtered = client.get(ledger_url(world.project), {"cost_class": "high"}).content.decode()
    assert 'data-option="F2"' in filtered and 'data-option="F1"' not in filtered
    by_status = client.get(ledger_url(world.project), {"status": "implemented"}).content.decode()
    assert 'data-option="F1"' in by_status and 'data-option="F2"' not in by_status
    by_phase = client.get(ledger_url(world.project), {"phase": "assessment"}).content.decode()
    assert "没有符合条件的方案" in by_phase


def test_officials_read_the_ledger_without_edit_buttons(world, sign_in):
    option = make_option(world.project, "F1")
    client = sign_in(world.user(Role.COUNTY))
    page = client.get(ledger_url(world.project)).content.decode()
    assert 'data-option="F1"' in page and "只读" in page and 'id="add-option"' not in page
    detail = client.get(option.get_absolute_url()).content.decode()
    assert 'id="edit-option"' not in detail and "删除方案" not in detail
    assert client.get(reverse("options:add", args=[world.project.pk])).status_code == 403
    assert client.post(reverse("options:add", args=[world.project.pk]), FORM).status_code == 403
    assert not Option.objects.filter(name=FORM["name"]).exists()


def test_add_with_bad_input_keeps_everything_typed(world, sign_in):
    client = sign_in(world.user(Role.CONSULTANCY))
    response = client.post(reverse("options:add", args=[world.project.pk]),
                           {**FORM, "investment": "-5", "cod_reduced": "abc"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "投资不能为负数。" in page
    assert "输入一个数字。" in page  # Django's own message, in Chinese
    assert 'value="中水回用改造（测试）"' in page and 'value="-5"' in page and 'value="12000"' in page
    assert "测试说明" in page
    assert "您已填写的内容都已保留" in page
    assert not Option.objects.exists()


def test_add_and_edit_through_the_form(world, sign_in):
    client = sign_in(world.user(Role.ENTERPRISE))
    form = client.get(reverse("options:add", args=[world.project.pk])).content.decode()
    assert 'placeholder="F1"' in form
    assert f'data-draft="option-new-{world.project.pk}"' in form  # kept in the browser across a timeout
    response = client.post(reverse("options:add", args=[world.project.pk]), FORM)
    option = Option.objects.get(project=world.project)
    assert response.status_code == 302 and response["Location"] == option.get_absolute_url()
    assert (option.code, option.investment, option.water_saved) == ("F1", Decimal("120.00"), Decimal("12000.00"))
    edit = reverse("options:edit", args=[option.pk])
    response = client.post(edit, {**FORM, "code": "F1", "status": "implemented", "version": "1"})
    assert response.status_code == 302
    assert Option.objects.get(pk=option.pk).status == "implemented"
    # a second tab still on version 1
    stale = client.post(edit, {**FORM, "code": "F1", "name": "另一窗口的修改（测试）", "version": "1"})
    page = stale.content.decode()
    assert stale.status_code == 200 and "已被他人修改" in page and 'value="另一窗口的修改（测试）"' in page
    assert Option.objects.get(pk=option.pk).name == FORM["name"]


def test_duplicate_code_is_shown_beside_the_code(world, sign_in):
    make_option(world.project, "F3")
    response = sign_in(world.user(Role.ENTERPRISE)).post(
        reverse("options:add", args=[world.project.pk]), {**FORM, "code": "f3"})
    assert "本项目已有编号为 f3 的方案" in response.content.decode()


def test_detail_shows_the_implementation_evidence_panel(world, sign_in):
    option = make_option(world.project, "F1", cost_class=Option.CostClass.HIGH)
    page = sign_in(world.user(Role.ENTERPRISE)).get(option.get_absolute_url()).content.decode()
    assert "实施佐证" in page and 'id="feasibility-link"' in page and "尚未填写" in page


def test_delete_from_the_page(world, sign_in):
    option = make_option(world.project, "F1")
    client = sign_in(world.user(Role.ENTERPRISE))
    response = client.post(reverse("options:delete", args=[option.pk]), {"version": "1"})
    assert response.status_code == 302 and response["Location"] == ledger_url(world.project)
    assert not Option.objects.filter(pk=option.pk).exists()


# --- feasibility ------------------------------------------------------------------------------

FEASIBILITY_FORM = {"technical_assessment": "技术成熟（测试）", "environmental_assessment": "减少废水排放（测试）",
                    "investment": "100", "annual_savings": "30", "depreciation_years": "10", "tax_rate": "25",
                    "discount_rate": "10", "economic_life": "10", "benchmark_irr": "", "conclusion": "可行（测试）",
                    "version": "0"}


def test_feasibility_form_computes_and_shows_rules_and_cash_flows(world, sign_in):
    option = make_option(world.project, "F1", cost_class=Option.CostClass.HIGH, investment=Decimal("100"),
                         economic_benefit=Decimal("30"))
    client = sign_in(world.user(Role.ENTERPRISE))
    url = reverse("options:feasibility", args=[option.pk])
    blank = client.get(url).content.decode()
    assert 'id="feasibility-form"' in blank and 'name="investment" value="100.00"' in blank
    assert f'data-draft="feasibility-{option.pk}"' in blank
    response = client.post(url, FEASIBILITY_FORM)
    assert response.status_code == 302
    feasibility = Feasibility.objects.get(option=option)
    assert feasibility.npv == Decimal("53.6142") and feasibility.irr == Decimal("21.41")
    page = client.get(url).content.decode()
    assert "经济上可行" in page
    assert "净现值 NPV ≥ 0" in page and "内部收益率 IRR ≥ 基准收益率 10.00%" in page
    assert "投资偿还期 N &lt; 项目寿命 10 年" in page
    start = page.index('id="cash-flow-table"')
    table = page[start:page.index("</table>", start)]
    assert table.count("<tr>") == 1 + 1 + 10  # header, year 0, years 1–10
    assert "53.6142" in page and "21.41%" in page


def test_feasibility_bad_input_keeps_values_and_the_saved_results(world, sign_in):
    option = make_option(world.project, "F1", cost_class=Option.CostClass.HIGH)
    make_feasibility(option)
    client = sign_in(world.user(Role.CONSULTANCY))
    url = reverse("options:feasibility", args=[option.pk])
    response = client.post(url, {**FEASIBILITY_FORM, "investment": "-3", "economic_life": "0",
                                 "technical_assessment": "改写中的分析（测试）", "version": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "总投资不能为负数。" in page and "项目寿命至少 1 年。" in page
    assert 'value="-3"' in page and "改写中的分析（测试）" in page
    assert "以下为上次保存的计算结果" in page and "53.6142" in page
    assert Feasibility.objects.get(option=option).investment == Decimal("100")


def test_officials_read_the_feasibility_and_may_not_post(world, sign_in):
    option = make_option(world.project, "F1", cost_class=Option.CostClass.HIGH)
    make_feasibility(option, technical_assessment="工艺可靠（测试）")
    client = sign_in(world.user(Role.CITY))
    url = reverse("options:feasibility", args=[option.pk])
    page = client.get(url).content.decode()
    assert 'id="feasibility-form"' not in page and "工艺可靠（测试）" in page and "经济上可行" in page
    assert client.post(url, FEASIBILITY_FORM).status_code == 403


def test_low_cost_option_has_no_feasibility_page(world, sign_in):
    option = make_option(world.project, "F1")
    response = sign_in(world.user(Role.ENTERPRISE)).get(reverse("options:feasibility", args=[option.pk]))
    assert response.status_code == 302 and response["Location"] == option.get_absolute_url()


# --- index and 方案汇总 ------------------------------------------------------------------------


def test_index_sends_the_enterprise_to_its_ledger_and_lists_projects_for_officials(world, sign_in):
    response = sign_in(world.user(Role.ENTERPRISE)).get(reverse("options:index"))
    assert response.status_code == 302 and response["Location"] == ledger_url(world.project)
    make_option(world.project, "F1", cost_class=Option.CostClass.HIGH)
    page = sign_in(world.user(Role.CITY)).get(reverse("options:index")).content.decode()
    assert world.project.number in page and ledger_url(world.project) in page


def test_summary_page_for_officials(world, sign_in):
    make_option(world.project, "F1", investment=Decimal("7.5"))
    project_lianchi = project_for(world, world.e_lianchi, "202113060600001")
    make_option(project_lianchi, "F1", cost_class=Option.CostClass.HIGH, investment=Decimal("60"))
    page = sign_in(world.user(Role.CITY)).get(reverse("options:summary")).content.decode()
    assert 'data-region="130681"' in page and 'data-region="130606"' in page and 'data-region="total"' in page
    assert "67.50" in page and "统计范围：保定市" in page
    county = sign_in(world.user(Role.COUNTY)).get(reverse("options:summary")).content.decode()
    assert 'data-region="130681"' in county and 'data-region="130606"' not in county
    assert sign_in(world.user(Role.ENTERPRISE)).get(reverse("options:summary")).status_code == 403


def test_menu_items(world, sign_in):
    enterprise_home = sign_in(world.user(Role.ENTERPRISE)).get("/").content.decode()
    assert "方案台账" in enterprise_home and "方案汇总" not in enterprise_home
    official_home = sign_in(world.user(Role.PROVINCE)).get("/").content.decode()
    assert "方案汇总" in official_home


@pytest.mark.parametrize("count", [2, 12])
def test_checklist_tables_count_rows(world, count):
    from qingshen.filings import tables

    for n in range(count):
        option = make_option(world.project, f"F{n + 1}", cost_class=Option.CostClass.HIGH if n % 2 else "low")
        if n % 2 and n < 4:
            make_feasibility(option)
    assert tables.get("options").rows(world.project) == count
    assert tables.get("feasibility").rows(world.project) == min(2, count // 2)
    assert tables.get("options").url(world.project) == ledger_url(world.project)
    assert tables.get("feasibility").url(world.project) == ledger_url(world.project) + "?cost_class=high"


def test_services_can_edit_for_buttons(world):
    assert services.can_edit(world.user(Role.CONSULTANCY), world.project)
    assert not services.can_edit(world.user(Role.COUNTY), world.project)
    assert not services.can_edit(world.other_enterprise_user, world.project)


def test_detail_lists_the_evidence_attached(world, sign_in):
    from conftest import blank_pdf
    from qingshen.evidence import services as evidence

    option = make_option(world.project, "F1", status=Option.Status.IMPLEMENTED)
    evidence.attach(world.user(Role.CONSULTANCY), option, blank_pdf("竣工验收单（测试）.pdf"), slot="implementation")
    page = sign_in(world.user(Role.COUNTY)).get(option.get_absolute_url()).content.decode()
    assert "竣工验收单（测试）" in page


def test_officials_see_the_history_of_an_option(world, sign_in):
    option = services.create_option(world.user(Role.ENTERPRISE), world.project, name="历史测试方案")
    services.update_option(world.user(Role.CONSULTANCY), option, status=Option.Status.SCREENED)
    client = sign_in(world.user(Role.COUNTY))
    history_url = reverse("audit_trail:history", args=["options.option", option.pk])
    assert f'href="{history_url}"' in client.get(option.get_absolute_url()).content.decode()
    history = client.get(history_url).content.decode()
    assert "状态：提出 → 筛选通过" in history and "登记方案" in history
