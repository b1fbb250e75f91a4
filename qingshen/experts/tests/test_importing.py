"""Import of expert lists (.xlsx) through the pages: template → upload → every row checked →
preview → confirm. Nothing is written before a clean file is confirmed, and the rows are
checked again at confirmation."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.enterprises.tests.helpers import FAKE_USCC_3
from qingshen.experts import importing
from qingshen.experts.models import Expert
from qingshen.experts.tests.helpers import (
    HEADERS,
    expert_file,
    make_expert,
    payload_of,
    text_of,
    upload,
    xlsx_bytes,
)


def confirm(client, response, **extra):
    return client.post("/experts/import/confirm/", {"payload": payload_of(response)}, **extra)


def test_the_template_opens_in_openpyxl_with_the_columns_and_a_marked_example(world, login):
    client = login(world.user(Role.CITY))
    response = client.get("/experts/import/template/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADERS == ["姓名", "工作单位", "职称", "专家库", "所在地区", "专业领域", "熟悉行业", "联系电话",
                                  "电子邮箱", "曾服务的咨询机构", "曾服务或指导的企业", "备注"]
    assert rows[1][0].startswith("示例") and rows[1][3] == "保定市" and len(rows) == 2
    # The template as downloaded holds only the example: nothing to import, said plainly.
    untouched = upload(client, response.content)
    assert "文件中没有专家数据行（示例行不导入）。" in text_of(untouched)


def test_a_good_file_is_previewed_then_written_once_confirmed(world, login):
    world.e_lianchi.uscc = FAKE_USCC_3
    world.e_lianchi.save()
    known = make_expert("测试专家甲")  # 测试大学（虚构）, 保定市, 涿州市
    same = make_expert("测试专家乙", title="教授")
    client = login(world.user(Role.CITY))
    content = expert_file(
        {"姓名": "示例：张三", "工作单位": "示例单位", "专家库": "保定市", "所在地区": "涿州市"},
        {"姓名": "郑测试", "工作单位": "虚构大学", "职称": "副教授", "专家库": "保定市专家库", "所在地区": "石家庄市桥西区",
         "专业领域": "清洁生产、节能", "熟悉行业": "26、化学纤维制造业、6", "联系电话": "13800138000",
         "电子邮箱": "zheng@example.com", "曾服务的咨询机构": "测试咨询公司",
         "曾服务或指导的企业": f"涿州测试企业、{FAKE_USCC_3}", "备注": "导入测试"},
        {"姓名": "测试专家甲", "工作单位": "测试大学（虚构）", "职称": "教授", "专家库": "保定", "所在地区": "130681"},
        {"姓名": "测试专家乙", "工作单位": "测试大学（虚构）", "专家库": "130600", "所在地区": "涿州市", "职称": "教授"},
    )
    preview = upload(client, content)
    text = text_of(preview)
    assert "共 3 行：将新增 1 名，更新 1 名，无变化 1 名；有错误 0 行。" in text
    assert "已跳过示例行：第 2 行。" in text and 'id="confirm-import"' in preview.content.decode()
    assert Expert.objects.count() == 2 and not Event.objects.filter(action__startswith="expert.").exists()

    done = confirm(client, preview, follow=True)
    assert "导入完成：新增 1 名专家，更新 1 名，无变化 1 名。" in text_of(done)
    created = Expert.objects.get(name="郑测试")
    assert (created.employer, created.title, created.pool_id, created.home_region_id) == (
        "虚构大学", "副教授", "130600", "130104")
    assert created.fields == ["cleaner_production", "energy"] and created.email == "zheng@example.com"
    assert sorted(i.code for i in created.industries.all()) == ["06", "26", "28"]
    assert list(created.conflict_consultancies.all()) == [world.consultancy_org]
    assert set(created.conflict_enterprises.all()) == {world.e_zhuozhou, world.e_lianchi}
    known.refresh_from_db()
    assert (known.title, known.version) == ("教授", 1)
    assert Expert.objects.get(pk=same.pk).version == 0
    actions = ("expert.create", "expert.update", "expert.import")
    assert [Event.objects.filter(action=a).count() for a in actions] == [1, 1, 1]
    assert Event.objects.get(action="expert.import").after["created"] == 1


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(world, login):
    client = login(world.user(Role.CITY))
    good = {"工作单位": "虚构大学", "专家库": "保定市", "所在地区": "涿州市"}
    content = expert_file(
        {**good, "姓名": "甲", "专家库": "石家庄市"},
        {**good, "姓名": "乙", "专家库": "北京市"},
        {**good, "姓名": "丙", "所在地区": "桥西区"},
        {**good, "姓名": "丁", "熟悉行业": "2614"},
        {**good, "姓名": "戊", "联系电话": "12345"},
        {**good, "姓名": "己", "曾服务的咨询机构": "不存在的咨询公司"},
        {**good, "姓名": "庚", "曾服务或指导的企业": "长安测试企业"},
        {**good, "姓名": "辛", "专业领域": "节能、法律"},
        {**good, "姓名": ""},
        {**good, "姓名": "壬"},
        {**good, "姓名": "壬"},
        {**good, "姓名": "癸", "熟悉行业": "99"},
    )
    response = upload(client, content)
    text = text_of(response)
    for message in (
        "第 2 行（专家库）：您只能维护保定市专家库，不能导入到石家庄市专家库。",
        "第 3 行（专家库）：“北京市”不是专家库：请填写河北省（省级专家库），或设区市名称（如 保定市）。",
        "第 4 行（所在地区）：“桥西区”有多个同名地区，请在前面加上所在市（如 石家庄市桥西区），或填写区划代码。",
        "第 5 行（熟悉行业）：“2614”不是行业大类：请填写两位的大类代码（如 26）或大类名称。",
        "第 6 行（联系电话）：联系电话格式不正确：请填写 11 位手机号码，或带区号的固定电话（如 0311-87654321）。",
        "第 7 行（曾服务的咨询机构）：找不到咨询服务机构“不存在的咨询公司”：请核对名称，或先在“单位管理”中添加该机构。",
        "第 8 行（曾服务或指导的企业）：找不到企业“长安测试企业”（或该企业不在您的辖区内）：请核对企业名称或统一社会信用代码。",
        "第 9 行（专业领域）：“法律”不是专业领域，可填：清洁生产、节能、环保、行业工艺。",
        "第 10 行（姓名）：请填写专家姓名。",
        "第 12 行（姓名）：与第 11 行是同一专家库、同一工作单位的同名专家。",
        "第 13 行（熟悉行业）：“99”不是 GB/T 4754-2017 的行业大类代码。",
    ):
        assert message in text, message
    assert "有错误 11 行" in text and "文件中有错误，不能导入" in text
    assert 'id="confirm-import"' not in response.content.decode() and payload_of(response) == ""
    assert not Expert.objects.exists()


@pytest.mark.parametrize(("filename", "content", "message"), [
    ("专家名单.csv", "姓名,工作单位\n张三,虚构大学\n".encode(), "只能导入 Excel 文件（.xlsx），请下载导入模板填写后上传。"),
    ("专家名单.pdf", b"%PDF-1.4", "只能导入 Excel 文件（.xlsx），请下载导入模板填写后上传。"),
    ("专家名单.xls", b"\xd0\xcf\x11\xe0", "不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后上传。"),
    ("专家名单.xlsx", b"not a workbook", "无法读取该文件：它不是有效的 .xlsx 文件。"),
    ("专家名单.xlsx", xlsx_bytes([["姓名", "工作单位"], ["张三", "虚构大学"]]),
     "找不到“专家库”“所在地区”列。请使用导入模板（第一行为列名）。"),
])
def test_a_wrong_file_is_refused_in_chinese(world, login, filename, content, message):
    response = upload(login(world.user(Role.CITY)), content, filename)
    assert response.status_code == 200
    assert message in text_of(response) and 'id="confirm-import"' not in response.content.decode()
    assert not Expert.objects.exists()


def test_the_rows_are_checked_again_at_confirmation(world, login):
    client = login(world.user(Role.CITY))
    preview = upload(client, expert_file({"姓名": "冯测试", "工作单位": "虚构大学", "专家库": "保定市", "所在地区": "涿州市",
                                          "曾服务的咨询机构": "测试咨询公司"}))
    assert 'id="confirm-import"' in preview.content.decode()
    world.consultancy_org.name = "改名后的咨询公司"
    world.consultancy_org.save()
    response = confirm(client, preview)
    text = text_of(response)
    assert "重新检查时发现错误，未写入任何数据。" in text
    assert "第 2 行（曾服务的咨询机构）：找不到咨询服务机构“测试咨询公司”" in text
    assert not Expert.objects.exists() and not Event.objects.filter(action="expert.import").exists()


def test_a_tampered_confirmation_is_refused(world, login):
    client = login(world.user(Role.CITY))
    response = client.post("/experts/import/confirm/", {"payload": "forged"}, follow=True)
    assert "导入内容无效，请重新上传文件。" in text_of(response) and not Expert.objects.exists()


def test_the_province_imports_into_its_pool_and_the_cities(world, login):
    client = login(world.user(Role.PROVINCE))
    preview = upload(client, expert_file(
        {"姓名": "陈测试", "工作单位": "虚构研究院", "专家库": "河北省", "所在地区": "定州市"},
        {"姓名": "褚测试", "工作单位": "虚构研究院", "专家库": "省级", "所在地区": "长安区"},
        {"姓名": "卫测试", "工作单位": "虚构研究院", "专家库": "石家庄市", "所在地区": "长安区",
         "曾服务或指导的企业": "长安测试企业"},
    ))
    confirm(client, preview)
    pools = dict(Expert.objects.values_list("name", "pool_id"))
    assert pools == {"陈测试": "130000", "褚测试": "130000", "卫测试": "130100"}


def test_checking_costs_the_same_queries_for_2_rows_as_for_20(world):
    city = world.user(Role.CITY)
    make_expert("测试专家甲")

    def rows(count):
        return [HEADERS] + [["测试专家甲" if n == 0 else f"导入测试{n}", "测试大学（虚构）", "", "保定市", "涿州市",
                             "节能", "26、33", "", "", "测试咨询公司", "涿州测试企业", ""] for n in range(count)]

    def queries(count):
        with CaptureQueriesContext(connection) as context:
            preview = importing.Checker(city).check(rows(count))
        assert preview.is_clean and preview.update_count == 1
        return len(context)

    assert queries(2) == queries(20)
