"""The pages: read-only for officials, editable for the enterprise and its consultancy, 404 for
another enterprise; adding, editing (in place with htmx, or on its own page) and deleting rows;
refused input shown beside its field with everything typed kept; computed columns on the page."""

from decimal import Decimal

import pytest

from qingshen.audit_data.models import Balance, MaterialUse, WaterUse
from qingshen.audit_data.tests import helpers
from qingshen.core.roles import Role
from qingshen.enterprises.tests.helpers import page_text

D = Decimal
HTMX = {"HTTP_HX_REQUEST": "true"}
TABLE_PAGES = ["raw-materials", "water", "pollutants", "audit-focus", "targets", "material-balance", "water-balance"]


def url(project, slug=""):
    return f"/audit-data/{project.pk}/{slug}/" if slug else f"/audit-data/{project.pk}/"


def fill_every_table(project):
    for factory in helpers.FACTORIES.values():
        factory(project)


# --- who sees what -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.COUNTY, Role.CITY, Role.PROVINCE])
def test_officials_read_every_table_without_forms(data_world, sign_in, role):
    fill_every_table(data_world.project)
    client = sign_in(data_world.user(role))
    index = client.get(url(data_world.project))
    assert index.status_code == 200
    text = page_text(index)
    for label in ("原辅材料和能源消耗", "取水、重复利用和排水", "废水污染物", "审核重点", "清洁生产目标", "物料平衡", "水平衡",
                  "时间节点", "您可查看，不能修改"):
        assert label in text, label
    for slug in TABLE_PAGES:
        page = client.get(url(data_world.project, slug))
        assert page.status_code == 200, slug
        html = page.content.decode()
        assert 'id="add-form"' not in html and "修改</a>" not in html and "删除</button>" not in html, slug
        assert "时间节点" in page_text(page)  # the deadlines box on every page
    balance = Balance.objects.filter(project=data_world.project).first()
    assert "添加投入或产出项目" not in page_text(client.get(f"/audit-data/balances/{balance.pk}/"))
    row = MaterialUse.objects.get(project=data_world.project)
    assert client.get(f"/audit-data/raw-materials/{row.pk}/edit/").status_code == 403
    assert client.post(url(data_world.project, "raw-materials"), {"name": "x"}).status_code == 403
    assert client.post(f"/audit-data/raw-materials/{row.pk}/delete/").status_code == 403
    assert MaterialUse.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.CONSULTANCY])
def test_the_enterprise_side_gets_the_forms(data_world, sign_in, role):
    helpers.material(data_world.project)
    client = sign_in(data_world.user(role))
    index = page_text(client.get(url(data_world.project)))
    assert "填写" in index and "您可查看" not in index
    html = client.get(url(data_world.project, "raw-materials")).content.decode()
    assert 'id="add-form"' in html and "修改</a>" in html and "删除</button>" in html


def test_another_enterprise_finds_nothing(data_world, sign_in):
    row = helpers.material(data_world.project)
    balance = helpers.balance(data_world.project)
    client = sign_in(data_world.other_enterprise_user)
    for path in [url(data_world.project), *[url(data_world.project, slug) for slug in TABLE_PAGES],
                 f"/audit-data/raw-materials/{row.pk}/edit/", f"/audit-data/balances/{balance.pk}/",
                 f"/audit-data/balance-lines/{balance.lines.first().pk}/edit/"]:
        assert client.get(path).status_code == 404, path
    assert client.post(f"/audit-data/raw-materials/{row.pk}/delete/", {"version": 1}).status_code == 404
    assert MaterialUse.objects.filter(pk=row.pk).exists()


def test_the_index_counts_rows_and_only_balances_with_lines(data_world, sign_in):
    project = data_world.project
    helpers.material(project), helpers.material(project, name="测试助剂（编造）")
    helpers.balance(project, "material", lines=())  # no lines yet: not filled
    helpers.balance(project, "water")
    client = sign_in(data_world.user(Role.ENTERPRISE))
    rows = {spec.code: count for spec, count, _ in client.get(url(project)).context["tables"]}
    assert rows == {"raw_materials": 2, "water": 0, "pollutants": 0, "audit_focus": 0, "targets": 0,
                    "material_balance": 0, "water_balance": 1}


# --- adding ------------------------------------------------------------------------------------


def water_form(**changes):
    data = {"year": "2021", "surface_water": "0", "groundwater": "8000", "tap_water": "2000", "other_water": "0",
            "reused_water": "30000", "discharged_wastewater": "7000", "product_output": "500", "product_unit": "t",
            "note": ""}
    return {**data, **changes}


def test_adding_a_water_year_shows_the_computed_columns(data_world, sign_in):
    client = sign_in(data_world.user(Role.CONSULTANCY))
    response = client.post(url(data_world.project, "water"), water_form())
    row = WaterUse.objects.get(project=data_world.project)
    assert response.status_code == 302 and response["Location"] == f"{url(data_world.project, 'water')}#row-{row.pk}"
    page = client.get(response["Location"])
    cells = page_text(page)
    assert "已添加：2021年取水" in cells
    assert "10000" in cells and "75.00 %" in cells and "20 m³/t" in cells


def test_a_refused_add_keeps_what_was_typed(data_world, sign_in):
    client = sign_in(data_world.user(Role.ENTERPRISE))
    response = client.post(url(data_world.project, "water"), water_form(groundwater="-8000", note="测试备注（编造）"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["groundwater"] == ["地下水取水量（m³/a）不能为负数。"]
    html = response.content.decode()
    assert 'value="-8000"' in html and 'value="30000"' in html and "测试备注（编造）" in html
    assert "您已填写的内容都已保留" in html
    assert not WaterUse.objects.filter(project=data_world.project).exists()


def test_a_second_row_for_the_same_year_is_refused_beside_the_year(data_world, sign_in):
    helpers.water(data_world.project, 2021)
    client = sign_in(data_world.user(Role.ENTERPRISE))
    response = client.post(url(data_world.project, "water"), water_form(tap_water="2500"))
    assert response.context["form"].errors["year"] == ["2021 年的取水数据已经填写，请修改已有的一行。"]
    assert 'value="2500"' in response.content.decode()


# --- editing and deleting ----------------------------------------------------------------------


def test_editing_in_place_with_htmx(data_world, sign_in):
    row = helpers.target(data_world.project)
    client = sign_in(data_world.user(Role.ENTERPRISE))
    edit = f"/audit-data/targets/{row.pk}/edit/"
    form = client.get(edit, **HTMX).content.decode()
    assert form.startswith(f'<tr id="row-{row.pk}"') and f'hx-post="{edit}"' in form and 'value="20"' in form
    data = {"indicator": row.indicator, "unit": "m³/t", "baseline_value": "20", "near_term_value": "-1",
            "deadline": "2022-12-31", "long_term_value": "", "long_term_deadline": "", "note": "", "version": "1"}
    refused = client.post(edit, data, **HTMX)
    html = refused.content.decode()
    assert refused.status_code == 200 and html.startswith("<tr") and "近期目标值不能为负数。" in html
    assert 'value="-1"' in html
    saved = client.post(edit, {**data, "near_term_value": "17"}, **HTMX)
    assert saved.status_code == 204 and saved["HX-Refresh"] == "true"
    row.refresh_from_db()
    assert row.near_term_value == D(17) and row.version == 2
    page = page_text(client.get(url(data_world.project, "targets")))
    assert "−3" in page and "−15.00 %" in page


def test_a_stale_edit_on_its_own_page_keeps_the_typing(data_world, sign_in):
    row = helpers.material(data_world.project)
    client = sign_in(data_world.user(Role.ENTERPRISE))
    edit = f"/audit-data/raw-materials/{row.pk}/edit/"
    page = client.get(edit)
    assert page.status_code == 200 and "时间节点" in page_text(page)
    MaterialUse.objects.filter(pk=row.pk).update(version=2, amount=D(99))  # someone else saved meanwhile
    data = {"kind": "material", "name": row.name, "unit": "t", "year": "2021", "amount": "13.25",
            "amount_per_product": "", "per_product_unit": "", "note": "", "version": "1"}
    response = client.post(edit, data)
    assert response.status_code == 200
    text = page_text(response)
    assert "已被他人修改" in text and 'value="13.25"' in response.content.decode()
    assert MaterialUse.objects.get(pk=row.pk).amount == D(99)


def test_deleting_a_row(data_world, sign_in):
    row = helpers.pollutant(data_world.project)
    client = sign_in(data_world.user(Role.ENTERPRISE))
    stale = client.post(f"/audit-data/pollutants/{row.pk}/delete/", {"version": "5"}, follow=True)
    assert "请刷新页面确认后再删除" in page_text(stale)
    done = client.post(f"/audit-data/pollutants/{row.pk}/delete/", {"version": "1"}, follow=True)
    assert "已删除：2021年 化学需氧量（COD）" in page_text(done)
    assert not type(row).objects.filter(pk=row.pk).exists()
    kept = helpers.pollutant(data_world.project)
    assert client.get(f"/audit-data/pollutants/{kept.pk}/delete/").status_code == 405


# --- balances ----------------------------------------------------------------------------------


def test_a_balance_page_computes_the_deviation(data_world, sign_in):
    balance = helpers.balance(data_world.project, "material", lines=())
    client = sign_in(data_world.user(Role.ENTERPRISE))
    page = f"/audit-data/balances/{balance.pk}/"
    assert "尚未填写投入和产出" in page_text(client.get(page))
    response = client.post(page, {"direction": "out", "item": "成品", "quantity": "90", "unit": "t", "note": ""})
    assert response.status_code == 302
    text = page_text(client.get(page))  # only an output: nothing in, deviation undefined, no crash
    assert "投入合计为零，偏差无法计算。" in text and "无法计算" in text
    client.post(page, {"direction": "in", "item": "原料", "quantity": "100", "unit": "t", "note": ""})
    text = page_text(client.get(page))
    assert "100 t" in text and "90 t" in text and "+10.00 %" in text and "偏差超过 5%，请复核" in text
    listing = page_text(client.get(url(data_world.project, "material-balance")))
    assert "+10.00 %" in listing and "（2 项）" in listing
    client.post(page, {"direction": "in", "item": "补充水", "quantity": "5", "unit": "m³", "note": ""})
    assert "计量单位不一致" in page_text(client.get(page))


def test_a_refused_line_keeps_what_was_typed(data_world, sign_in):
    balance = helpers.balance(data_world.project)
    client = sign_in(data_world.user(Role.CONSULTANCY))
    response = client.post(f"/audit-data/balances/{balance.pk}/",
                           {"direction": "out", "item": "蒸发损失", "quantity": "-3", "unit": "m³/d"})
    assert response.status_code == 200
    assert response.context["form"].errors["quantity"] == ["数量不能为负数。"]
    assert "蒸发损失" in response.content.decode()
    assert balance.lines.count() == 2


def test_a_balance_added_on_the_water_page_is_a_water_balance(data_world, sign_in):
    client = sign_in(data_world.user(Role.ENTERPRISE))
    response = client.post(url(data_world.project, "water-balance"),
                           {"kind": "water", "name": "测试漂洗工序水平衡（编造）", "scope": "印染车间", "period": "", "note": ""})
    balance = Balance.objects.get(project=data_world.project)
    assert balance.kind == "water" and response["Location"] == f"/audit-data/balances/{balance.pk}/"
    page = client.get(url(data_world.project, "water-balance"))
    assert "测试漂洗工序水平衡（编造）" in page_text(page)
    assert "测试漂洗工序水平衡（编造）" not in page_text(client.get(url(data_world.project, "material-balance")))


def test_editing_and_deleting_a_line(data_world, sign_in):
    balance = helpers.balance(data_world.project)
    line = balance.lines.get(direction="out")
    client = sign_in(data_world.user(Role.ENTERPRISE))
    edit = f"/audit-data/balance-lines/{line.pk}/edit/"
    response = client.post(edit, {"direction": "out", "item": "废水", "quantity": "98", "unit": "m³/d",
                                  "note": "", "version": "1"})
    assert response.status_code == 302 and response["Location"] == f"/audit-data/balances/{balance.pk}/#line-{line.pk}"
    assert "+2.00 %" in page_text(client.get(f"/audit-data/balances/{balance.pk}/"))
    client.post(f"/audit-data/balance-lines/{line.pk}/delete/", {"version": "2"})
    assert list(balance.lines.values_list("item", flat=True)) == ["新鲜水"]


def test_officials_follow_a_row_to_its_history(data_world, sign_in):
    from qingshen.audit_data import services

    row = services.add_row(data_world.user(Role.CONSULTANCY), data_world.project, MaterialUse, kind="energy",
                           name="测试蒸汽（编造）", unit="t", year=2021, amount=D(1500))
    services.update_row(data_world.user(Role.ENTERPRISE), row, expected_version=1, amount=D(1450))
    client = sign_in(data_world.user(Role.COUNTY))
    history = f"/audit-trail/audit_data.materialuse/{row.pk}/"
    assert f'href="{history}"' in client.get(url(data_world.project, "raw-materials")).content.decode()
    text = page_text(client.get(history))
    assert "新增原辅材料和能源消耗：2021年 测试蒸汽（编造）" in text and "修改原辅材料和能源消耗" in text
    assert "ZX0001" in text and "QY1306810001" in text


def test_a_balance_filed_under_the_wrong_kind_can_be_moved(data_world, sign_in):
    balance = helpers.balance(data_world.project, "material")
    client = sign_in(data_world.user(Role.ENTERPRISE))
    edit = f"/audit-data/balances/{balance.pk}/edit/"
    assert '<select name="kind"' in client.get(edit).content.decode()
    response = client.post(edit, {"kind": "water", "name": balance.name, "scope": "", "period": "", "note": "",
                                  "version": "1"})
    assert response.status_code == 302 and response["Location"] == f"/audit-data/balances/{balance.pk}/"
    assert balance.name in page_text(client.get(url(data_world.project, "water-balance")))
