"""Import of enterprise lists (.csv / .xlsx) through the pages: upload → preview → confirm.

Nothing is written before a clean file is confirmed; the file is checked again at confirm time.
"""

import random

import pytest

from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.enterprises import importing, services
from qingshen.enterprises.models import Enterprise, ImportBatch
from qingshen.enterprises.tests.helpers import (
    FAKE_USCC_1,
    FAKE_USCC_2,
    FAKE_USCC_3,
    SEED_CSV,
    csv_bytes,
    messages_of,
    page_text,
    preview_rows,
    read_xlsx,
    seed_rows,
    upload,
    upload_ok,
    xlsx_bytes,
)
from qingshen.industries.models import Industry
from qingshen.regions.models import Region

#: 序号 of the two seed rows whose 行业名称 has no GB/T 4754-2017 class, and the division they get.
SEED_DIVISION_ONLY = {"24": "35", "71": "41"}


def preview_url(batch):
    return f"/enterprises/import/{batch.pk}/"


def apply(client, batch, **extra):
    return client.post(preview_url(batch), {"action": "apply"}, **extra)


# --- the seed list ---------------------------------------------------------------------------

def test_seed_list_through_the_pages_gives_77_enterprises_in_their_counties_and_industries(world, login):
    client = login(world.user(Role.PROVINCE))
    world_ids = set(Enterprise.objects.values_list("pk", flat=True))

    batch = upload_ok(client, SEED_CSV.name, SEED_CSV.read_bytes())
    assert Enterprise.objects.count() == len(world_ids), "the upload alone writes nothing"
    assert not Event.objects.filter(action__startswith="enterprise.").exists()

    preview = client.get(preview_url(batch))
    assert preview.status_code == 200
    assert "共 77 行：将新增 77 家，更新 0 家，无变化 0 家；有错误 0 行，有提示 3 行。" in page_text(preview)
    assert "已忽略的列：序号、负责评估验收部门、city_code、county_match、industry_match、reviewing_level" in page_text(preview)
    assert 'id="confirm-import"' in preview.content.decode()

    response = apply(client, batch, follow=True)
    assert response.redirect_chain[-1][0] == "/enterprises/"
    assert "导入完成：新增 77 家，更新 0 家。" in messages_of(response)

    imported = {e.name: e for e in Enterprise.objects.exclude(pk__in=world_ids)}
    seed = seed_rows()
    assert len(seed) == len(imported) == 77
    for row in seed:
        enterprise = imported[row["企业名称"]]
        assert enterprise.region_id == row["county_code"], row["序号"]
        assert enterprise.county_code == row["county_code"] and enterprise.city_code == "130600"
        expected_industry = row["industry_class_code"] or SEED_DIVISION_ONLY[row["序号"]]
        assert enterprise.industry_id == expected_industry, row["序号"]
    assert {r["序号"] for r in seed if not r["industry_class_code"]} == set(SEED_DIVISION_ONLY)
    # the functional zones are county-level units of their own
    assert sum(e.region_id == "130671" for e in imported.values()) == 5  # 保定高新区
    assert sum(e.region_id == "130672" for e in imported.values()) == 8  # 保定白沟新城

    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.updated_count, batch.row_count) == ("applied", 77, 0, 77)
    creates = Event.objects.filter(action="enterprise.create")
    assert creates.count() == 77
    assert {e.after["name"] for e in creates} == set(imported)
    summary = Event.objects.get(action="enterprise.import")
    assert summary.after["created"] == 77 and summary.after["updated"] == 0
    assert summary.after["sha256"] == batch.sha256
    assert summary.actor == world.user(Role.PROVINCE)


def test_seed_preview_warns_in_chinese_where_the_industry_is_unsure_but_does_not_refuse(world, login):
    client = login(world.user(Role.PROVINCE))
    batch = upload_ok(client, SEED_CSV.name, SEED_CSV.read_bytes())
    rows = preview_rows(client.get(preview_url(batch)))
    assert len(rows) == 77 and min(rows) == 2 and max(rows) == 78  # line numbers as in the file

    # 序号 4 (line 5): the seed's 行业大类名称 is not the standard's wording → a warning only
    assert "新增" in rows[5] and "错误" not in rows[5]
    assert "保定高新技术产业开发区" in rows[5]
    assert ("行业大类名称“铁路航空航天和其他运输设备制造业”与标准不一致"
            "（3741 属于“铁路、船舶、航空航天和其他运输设备制造业”），已按行业代码/名称登记") in rows[5]
    # 序号 24 and 71: no class → the division, with a warning asking for the class
    assert ("行业名称“电子元件与机电组件设备制造”在 GB/T 4754-2017 中没有对应的小类，"
            "已暂按大类“35 专用设备制造业”登记，请核实后补充小类") in rows[25]
    assert ("行业名称“其他日用品制造”在 GB/T 4754-2017 中没有对应的小类，"
            "已暂按大类“41 其他制造业”登记，请核实后补充小类") in rows[72]
    warned = {line for line, text in rows.items() if "请核实" in text or "不一致" in text}
    assert warned == {5, 25, 72}


def test_seed_without_its_code_columns_resolves_counties_and_industries_by_name(world):
    """The seed also carries county_code / industry_class_code; without them the names alone
    must give the same counties (保定高新区 → 130671, 保定白沟新城 → 130672) and classes
    (瓶(罐) with ASCII parentheses → the standard's full-width 1522)."""
    seed = seed_rows()
    columns = ["序号", "企业名称", "所属城市", "所属区县", "行业大类名称", "行业名称"]
    content = csv_bytes([columns] + [[row[c] for c in columns] for row in seed])

    preview = importing.check_file(world.user(Role.PROVINCE), "names_only.csv", content)

    assert preview.is_clean and preview.create_count == 77
    for result, row in zip(preview.rows, seed, strict=True):
        assert result.values["region"] == row["county_code"], row["序号"]
        assert result.values["industry"] == (row["industry_class_code"] or SEED_DIVISION_ONLY[row["序号"]]), row["序号"]
    bottled = [r for r, row in zip(preview.rows, seed) if row["行业名称"] == "瓶(罐)装饮用水制造"]
    assert len(bottled) == 5
    assert Industry.objects.get(code="1522").name == "瓶（罐）装饮用水制造"
    assert {r.values["industry"] for r in bottled} == {"1522"}
    assert all(not r.warnings for r in bottled)


def test_gbk_encoded_csv_is_read(world, login):
    client = login(world.user(Role.PROVINCE))
    content = SEED_CSV.read_text(encoding="utf-8").encode("gbk")
    batch = upload_ok(client, "seed_gbk.csv", content)
    preview = client.get(preview_url(batch))
    assert "共 77 行：将新增 77 家，更新 0 家，无变化 0 家；有错误 0 行" in page_text(preview)
    rows = preview_rows(preview)
    assert rows[2] == "河北白沙烟草有限责任公司保定卷烟厂 莲池区 1620 卷烟制造 新增"
    assert rows[16] == "涿州市万基业食品有限公司(本部) 涿州市 1522 瓶（罐）装饮用水制造 新增"


def test_xlsx_with_title_rows_blank_rows_and_aliases_is_read(world, login):
    """Headers need not be on the first line; blank lines are skipped but counted."""
    client = login(world.user(Role.COUNTY))
    content = xlsx_bytes([
        [],
        ["企业名称", "所属区县", "county_code", "industry_class_code", "法人", "年工作日", "是否涉水"],
        ["表格测试企业甲", "涿州市", "130681", 3360, "赵一", 300, "是"],
        [],
        ["表格测试企业乙", "涿州市", "", "", "", "", "否"],
    ])
    batch = upload_ok(client, "list.xlsx", content)
    rows = preview_rows(client.get(preview_url(batch)))
    assert set(rows) == {3, 5}
    apply(client, batch)
    first = Enterprise.objects.get(name="表格测试企业甲")
    assert (first.region_id, first.industry_id, first.legal_representative, first.working_days, first.water_related) == (
        "130681", "3360", "赵一", 300, True)
    second = Enterprise.objects.get(name="表格测试企业乙")
    assert (second.region_id, second.industry_id, second.water_related) == ("130681", None, False)


# --- errors: row by row, nothing written -----------------------------------------------------

ERROR_HEADER = ["序号", "企业名称", "所属城市", "所属区县", "区划代码", "统一社会信用代码", "企业性质",
                "年工作日（天）", "是否双超"]


def error_row(number, name, city="保定市", county="涿州市", code="", uscc="", nature="", days="", double=""):
    return [number, name, city, county, code, uscc, nature, days, double]


#: line → the Chinese message that line must show (made-up enterprises, uploaded by 保定市).
EXPECTED_ERRORS = {
    2: "企业名称不能为空",
    3: "找不到区县“不存在县”",
    4: "区县“桥西区”不唯一，请填写所属城市或区划代码",
    5: "长安区不在您的辖区内",
    6: "统一社会信用代码“91130681MA00000017”：统一社会信用代码校验位错误，请核对。",
    8: "与第 7 行是同一区县的同名企业",
    9: "是否双超“也许”应为 是 或 否",
    10: "企业性质“外星企业”不在可选项中",
    11: "年工作日“400”应为 0–366 的整数",
    13: "统一社会信用代码与第 12 行重复",
    14: "所属城市“保定市”下没有区县“长安区”",
    15: "“保定市”是市级区划，请填写到区县",
    16: "区划代码“130681”是涿州市，与所属区县“莲池区”不一致",
    17: "区划代码“139999”不存在",
    18: "企业名称超过 200 个字符",
    19: "统一社会信用代码“ABC”：统一社会信用代码应为 18 位数字或大写字母。",
}


def error_file_rows():
    return [
        ERROR_HEADER,
        error_row(1, ""),
        error_row(2, "无区县测试企业", city="", county="不存在县"),
        error_row(3, "桥西测试企业", city="", county="桥西区"),
        error_row(4, "外市测试企业", city="石家庄市", county="长安区"),
        error_row(5, "错码测试企业", uscc="91130681MA00000017"),
        error_row(6, "重复测试企业"),
        error_row(7, "重复测试企业"),
        error_row(8, "是否测试企业", double="也许"),
        error_row(9, "性质测试企业", nature="外星企业"),
        error_row(10, "工作日测试企业", days="400"),
        error_row(11, "代码一测试企业", uscc=FAKE_USCC_1),
        error_row(12, "代码二测试企业", county="莲池区", uscc=FAKE_USCC_1),
        error_row(13, "错市测试企业", county="长安区"),
        error_row(14, "市级测试企业", county=""),
        error_row(15, "代码不符测试企业", county="莲池区", code="130681"),
        error_row(16, "无此代码测试企业", county="", code="139999"),
        error_row(17, "长" * 201),
        error_row(18, "格式测试企业", uscc="abc"),
        error_row(19, "正常测试企业", county="莲池区", nature="私营有限责任公司", days="300", double="否"),
    ]


@pytest.mark.parametrize("filename, encode", [("errors.csv", csv_bytes), ("errors.xlsx", xlsx_bytes)])
def test_file_with_errors_lists_each_row_in_chinese_and_cannot_be_applied(world, login, filename, encode):
    client = login(world.user(Role.CITY))
    count = Enterprise.objects.count()
    batch = upload_ok(client, filename, encode(error_file_rows()))

    preview = client.get(preview_url(batch))
    rows = preview_rows(preview)
    for line, message in EXPECTED_ERRORS.items():
        assert message in rows[line], (line, rows[line])
        assert "错误" in rows[line]
    for line in (7, 12, 20):  # the first of a duplicate pair, and the clean last row
        assert "新增" in rows[line] and "错误" not in rows[line], rows[line]
    text = page_text(preview)
    assert f"有错误 {len(EXPECTED_ERRORS)} 行" in text
    assert "文件中有错误，不能导入。请按下表修改文件后重新上传；没有写入任何数据。" in text
    assert 'id="confirm-import"' not in preview.content.decode()

    response = apply(client, batch)  # forced, without the button
    assert response.status_code == 200
    assert "重新检查时发现错误，未写入任何数据。请修改文件后重新上传。" in messages_of(response)
    assert Enterprise.objects.count() == count
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert not Event.objects.filter(action__startswith="enterprise.").exists()


def test_county_cannot_import_into_another_county(world, login):
    client = login(world.user(Role.COUNTY))  # 涿州市
    batch = upload_ok(client, "x.csv", csv_bytes([["企业名称", "所属区县"], ["越界测试企业", "莲池区"]]))
    rows = preview_rows(client.get(preview_url(batch)))
    assert "莲池区不在您的辖区内" in rows[2]
    apply(client, batch)
    assert not Enterprise.objects.filter(name="越界测试企业").exists()


FAKE_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


@pytest.mark.parametrize("filename, content, message", [
    ("名单.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后上传。"),
    ("名单.pdf", FAKE_PDF, "只能导入 .xlsx 或 .csv 文件。"),
    ("renamed_pdf.xlsx", FAKE_PDF, "无法读取该文件：它不是有效的 .xlsx 文件。"),
    ("random_bytes.xlsx", random.Random(4754).randbytes(4096), "无法读取该文件：它不是有效的 .xlsx 文件。"),
    ("binary.csv", b"\x00\x01\x02PK\x03\x04" * 50, "无法读取该文件：它不是文本格式的 .csv 文件。"),
    ("empty.csv", b"", "提交的是空文件。"),
    ("blank_lines.csv", b"\r\n,,\r\n", "文件是空的。"),
    ("no_name.csv", "统一社会信用代码,所属区县\r\n91130681MA00000016,涿州市\r\n".encode(),
     "找不到“企业名称”列。请使用导入模板的列名（第一行为列名）。"),
    ("no_county.xlsx", xlsx_bytes([["企业名称", "地址"], ["某企业", "某地"]]), "找不到“所属区县”或“区划代码”列。"),
    ("header_only.csv", "企业名称,所属区县\r\n".encode(), "文件中没有企业数据行。"),
])
def test_unreadable_files_are_refused_on_the_upload_form(world, login, filename, content, message):
    client = login(world.user(Role.PROVINCE))
    count = Enterprise.objects.count()
    response = upload(client, filename, content)
    assert response.status_code == 200
    assert message in response.context["form"].errors["file"]
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert Enterprise.objects.count() == count


def test_import_pages_need_the_import_permission(world, login):
    client = login(world.user(Role.ENTERPRISE))
    assert client.get("/enterprises/import/").status_code == 403
    assert upload(client, "x.csv", csv_bytes([["企业名称", "所属区县"], ["某企业", "涿州市"]])).status_code == 403
    assert not ImportBatch.objects.exists()


def test_anonymous_upload_goes_to_login(client, world):
    response = upload(client, "x.csv", b"a")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_import_template_has_the_import_headers(world, login):
    response = login(world.user(Role.COUNTY)).get("/enterprises/import/template/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert read_xlsx(response.content) == [[c.header for c in importing.COLUMNS]]


# --- confirming ------------------------------------------------------------------------------

def one_row_file(name="确认测试企业", county="涿州市", uscc="", legal=""):
    return csv_bytes([["企业名称", "所属区县", "统一社会信用代码", "法定代表人"], [name, county, uscc, legal]])


def test_confirming_twice_imports_once(world, login):
    client = login(world.user(Role.COUNTY))
    batch = upload_ok(client, "once.csv", one_row_file())
    first = apply(client, batch)
    assert first.status_code == 302
    second = apply(client, batch, follow=True)
    assert second.redirect_chain[0][0] == preview_url(batch)
    assert "该文件已经导入或已放弃，不能再次导入。" in messages_of(second)
    assert "该文件已导入：新增 1 家，更新 0 家。" in page_text(second)
    assert Enterprise.objects.filter(name="确认测试企业").count() == 1
    assert Event.objects.filter(action="enterprise.create").count() == 1
    assert Event.objects.filter(action="enterprise.import").count() == 1


def test_confirm_rechecks_the_file_against_the_registry_as_it_is_now(world, login):
    """Between preview and confirm the province registers the file's code in another county:
    the county's confirm finds it, shows the error and writes nothing."""
    client = login(world.user(Role.COUNTY))
    batch = upload_ok(client, "race.csv", one_row_file(name="复核测试企业", uscc=FAKE_USCC_1))
    assert "将新增 1 家" in page_text(client.get(preview_url(batch)))

    services.create_enterprise(
        world.user(Role.PROVINCE), name="抢先登记测试企业", region=Region.objects.get(code="130606"), uscc=FAKE_USCC_1
    )
    response = apply(client, batch)

    assert response.status_code == 200
    assert "重新检查时发现错误，未写入任何数据。请修改文件后重新上传。" in messages_of(response)
    assert "该统一社会信用代码已登记在其他辖区的企业名下，请联系上级部门核实" in preview_rows(response)[2]
    assert not Enterprise.objects.filter(name="复核测试企业").exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert not Event.objects.filter(action="enterprise.import").exists()


def test_confirm_after_someone_registered_the_same_enterprise_updates_it_instead_of_duplicating(world, login):
    client = login(world.user(Role.PROVINCE))
    batch = upload_ok(client, "late.csv", one_row_file(name="并发测试企业", legal="王五"))
    assert "将新增 1 家" in page_text(client.get(preview_url(batch)))
    services.create_enterprise(world.user(Role.COUNTY), name="并发测试企业", region=Region.objects.get(code="130681"),
                               address="涿州市某路 1 号")

    response = apply(client, batch, follow=True)

    assert "导入完成：新增 0 家，更新 1 家。" in messages_of(response)
    enterprise = Enterprise.objects.get(name="并发测试企业")
    assert (enterprise.legal_representative, enterprise.address, enterprise.version) == ("王五", "涿州市某路 1 号", 2)


def test_discard_writes_nothing_and_the_batch_cannot_be_applied_afterwards(world, login):
    client = login(world.user(Role.COUNTY))
    batch = upload_ok(client, "drop.csv", one_row_file())
    response = client.post(preview_url(batch), {"action": "discard"}, follow=True)
    assert response.redirect_chain[-1][0] == "/enterprises/import/"
    assert "已放弃导入该文件，没有写入任何数据。" in messages_of(response)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DISCARDED
    assert "该文件已经导入或已放弃，不能再次导入。" in messages_of(apply(client, batch, follow=True))
    assert not Enterprise.objects.filter(name="确认测试企业").exists()
    assert not Event.objects.filter(action__startswith="enterprise.").exists()


@pytest.mark.parametrize("intruder", ["other_county_user", "province"])
def test_nobody_else_can_see_confirm_or_discard_a_batch(world, login, intruder):
    owner = login(world.user(Role.COUNTY))
    batch = upload_ok(owner, "mine.csv", one_row_file())
    other = world.other_county_user if intruder == "other_county_user" else world.user(Role.PROVINCE)
    client = login(other)
    assert client.get(preview_url(batch)).status_code == 404
    assert apply(client, batch).status_code == 404
    assert client.post(preview_url(batch), {"action": "discard"}).status_code == 404
    assert "mine.csv" not in client.get("/enterprises/import/").content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert not Enterprise.objects.filter(name="确认测试企业").exists()


# --- updating through an import --------------------------------------------------------------

def test_import_updates_matched_enterprises_and_blank_cells_keep_stored_values(world, login):
    zhuozhou, lianchi, changan = world.e_zhuozhou, world.e_lianchi, world.e_changan
    Enterprise.objects.filter(pk=zhuozhou.pk).update(
        address="涿州市旧地址 1 号", legal_representative="张三", employees=120, double_exceed=True)
    Enterprise.objects.filter(pk=lianchi.pk).update(uscc=FAKE_USCC_3)
    client = login(world.user(Role.PROVINCE))
    content = xlsx_bytes([
        ["企业名称", "所属城市", "所属区县", "统一社会信用代码", "地址", "法定代表人", "从业人数", "是否双超", "是否涉水企业"],
        # by name within its county; blank cells must not clear address, employees, 双超
        ["涿州测试企业", "保定市", "涿州市", "", "", "李四", "", "", ""],
        # by code: renamed, and no longer water-related
        ["莲池测试企业（更名）", "保定市", "莲池区", FAKE_USCC_3, "", "", "", "", "否"],
        # already as stored
        ["长安测试企业", "石家庄市", "长安区", "", "", "", "", "", "是"],
    ])
    batch = upload_ok(client, "update.xlsx", content)
    preview = client.get(preview_url(batch))
    rows = preview_rows(preview)
    assert "更新" in rows[2] and "更新" in rows[3] and "无变化" in rows[4]
    assert "将新增 0 家，更新 2 家，无变化 1 家" in page_text(preview)

    response = apply(client, batch, follow=True)
    assert "导入完成：新增 0 家，更新 2 家。" in messages_of(response)

    zhuozhou.refresh_from_db()
    assert (zhuozhou.legal_representative, zhuozhou.address, zhuozhou.employees, zhuozhou.double_exceed) == (
        "李四", "涿州市旧地址 1 号", 120, True)
    assert zhuozhou.version == 2
    lianchi.refresh_from_db()
    assert (lianchi.name, lianchi.water_related, lianchi.uscc, lianchi.version) == ("莲池测试企业（更名）", False, FAKE_USCC_3, 2)
    changan.refresh_from_db()
    assert changan.version == 1

    event = Event.objects.for_object(zhuozhou).get(action="enterprise.update")
    assert event.changes() == [("legal_representative", "张三", "李四")]
    assert event.before["address"] == event.after["address"] == "涿州市旧地址 1 号"
    renamed = Event.objects.for_object(lianchi).get(action="enterprise.update")
    assert {c[0] for c in renamed.changes()} == {"name", "water_related"}
    assert not Event.objects.for_object(changan).exists()
    summary = Event.objects.get(action="enterprise.import")
    assert (summary.after["created"], summary.after["updated"], summary.after["file"]) == (0, 2, "update.xlsx")
    assert "导入企业名单 update.xlsx：新增 0 家，更新 2 家" == summary.summary


def test_rows_that_would_overwrite_the_wrong_enterprise_are_errors(world, login):
    Enterprise.objects.filter(pk=world.e_lianchi.pk).update(uscc=FAKE_USCC_3)
    Enterprise.objects.filter(pk=world.e_changan.pk).update(uscc=FAKE_USCC_1)
    client = login(world.user(Role.PROVINCE))
    content = csv_bytes([
        ["企业名称", "所属城市", "所属区县", "统一社会信用代码"],
        ["涿州测试企业", "保定市", "涿州市", FAKE_USCC_1],  # 长安's code on 涿州's name
        ["莲池新名测试企业", "保定市", "莲池区", FAKE_USCC_3],  # 莲池 by code …
        ["莲池测试企业", "保定市", "莲池区", ""],  # … and again by name
        ["长安测试企业", "石家庄市", "长安区", FAKE_USCC_2],  # same name, another code
    ])
    batch = upload_ok(client, "conflicts.csv", content)
    rows = preview_rows(client.get(preview_url(batch)))
    assert "统一社会信用代码属于已登记的“长安测试企业”，而该区县已有另一家同名企业“涿州测试企业”，请核实" in rows[2]
    assert "更新" in rows[3]
    assert "与第 3 行对应同一家已登记企业“莲池测试企业”" in rows[4]
    assert f"该区县已登记同名企业“长安测试企业”，其统一社会信用代码为 {FAKE_USCC_1}，与本行不一致，请核实" in rows[5]
    apply(client, batch)
    assert not Event.objects.filter(action__startswith="enterprise.").exists()
    assert Enterprise.objects.get(pk=world.e_lianchi.pk).name == "莲池测试企业"


def test_county_cannot_give_its_enterprise_a_code_registered_elsewhere(world, login):
    """The code belongs to an enterprise the county cannot see; the preview must say so
    rather than fail at confirm on the unique code."""
    Enterprise.objects.filter(pk=world.e_lianchi.pk).update(uscc=FAKE_USCC_3)
    client = login(world.user(Role.COUNTY))
    batch = upload_ok(client, "code.csv", one_row_file(name="涿州测试企业", uscc=FAKE_USCC_3))
    rows = preview_rows(client.get(preview_url(batch)))
    assert "该统一社会信用代码已登记在其他辖区的企业名下，请联系上级部门核实" in rows[2]
    assert apply(client, batch).status_code == 200
    assert Enterprise.objects.get(pk=world.e_zhuozhou.pk).uscc is None


def test_lower_case_code_in_a_file_matches_the_registered_code(world):
    Enterprise.objects.filter(pk=world.e_zhuozhou.pk).update(uscc=FAKE_USCC_1)
    content = one_row_file(name="涿州测试企业", uscc=FAKE_USCC_1.lower())
    preview = importing.check_file(world.user(Role.COUNTY), "lower.csv", content)
    assert preview.rows[0].action == "unchanged"
    assert preview.rows[0].enterprise_id == world.e_zhuozhou.pk


def test_tab_separated_text_is_read(world):
    content = "企业名称\t所属区县\t行业代码\n制表符测试企业\t涿州市\t3360\n".encode()
    preview = importing.check_file(world.user(Role.COUNTY), "tabs.csv", content)
    assert preview.is_clean
    assert preview.rows[0].values == {"name": "制表符测试企业", "region": "130681", "industry": "3360"}


def test_industry_name_contradicting_the_code_is_a_warning(world):
    content = csv_bytes([["企业名称", "所属区县", "行业代码", "行业名称"], ["行业测试企业", "涿州市", "3360", "卷烟制造"]])
    row = importing.check_file(world.user(Role.COUNTY), "x.csv", content).rows[0]
    assert not row.errors and row.values["industry"] == "3360"
    assert row.warnings == ["行业名称“卷烟制造”与行业代码 3360（金属表面处理及热处理加工）不一致，已按行业代码登记"]
