"""The final list a level stamps and uploads: as .xlsx (read back with openpyxl) and as a PDF
(text read back with pypdf, every font embedded)."""

import io
import re
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from qingshen.core.roles import Role
from qingshen.rosters import final_list, services
from qingshen.rosters.tests.helpers import FAKE_USCC_NEW, png
from qingshen.rosters.tests.test_cascade import as_user, url


@pytest.fixture
def checked(published):
    """Baoding's list after the city's checks: 涿州 marked 否, one enterprise added (增补待审),
    莲池 corrected to 双超."""
    world = published
    city, task = world.user(Role.CITY), world.roster_task("130600")
    services.exclude(city, task, world.member(world.e_zhuozhou), reason="已停产", evidence=[png()])
    services.correct(city, task, world.member(world.e_lianchi), field="double_exceed", value=True)
    from qingshen.regions.models import Region

    services.propose(city, task, new_enterprise={"name": "莲池增补企业", "uscc": FAKE_USCC_NEW,
                                                 "region": Region.objects.get(code="130606"), "water_related": True},
                     reasons=["double_exceed", "double_toxic"], handling_level="city")
    return world


def sheet_rows(content: bytes, index=0):
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    try:
        return [list(row) for row in workbook.worksheets[index].iter_rows(values_only=True)]
    finally:
        workbook.close()


@pytest.mark.django_db
def test_the_xlsx_lists_every_enterprise_with_its_verification(checked, client):
    task = checked.roster_task("130600")
    as_user(client, checked.user(Role.CITY))
    response = client.get(url("final_list_xlsx", task))
    assert response.status_code == 200
    assert response["Content-Type"] == final_list.XLSX_TYPE
    assert unquote(response["Content-Disposition"]).endswith("测试批次清洁生产审核名单（保定市生态环境局）.xlsx")
    rows = sheet_rows(response.content)
    assert rows[0][0] == "测试批次清洁生产审核名单（保定市生态环境局核定，共 2 家）"
    assert rows[1] == final_list.LISTED_HEADERS
    assert rows[2:] == [
        [1, "莲池测试企业", None, "保定市", "莲池区", "金属制品业", "金属表面处理及热处理加工", "是", "否", "重点工作任务",
         "保定市生态环境局", None],
        [2, "莲池增补企业", FAKE_USCC_NEW, "保定市", "莲池区", None, None, "否", "否", "双超、双有", "保定市生态环境局",
         "增补待审（保定市生态环境局）"],
    ]
    excluded = sheet_rows(response.content, 1)
    assert excluded[1] == final_list.EXCLUDED_HEADERS
    assert excluded[2:] == [[1, "涿州测试企业", None, "保定市", "涿州市", "已停产"]]


@pytest.mark.django_db
def test_the_province_list_names_who_handles_each_enterprise(published):
    final = final_list.build(published.roster)
    handling = {row.name: row.handling for row in final.listed}
    assert handling == {"涿州测试企业": "河北省生态环境厅", "莲池测试企业": "保定市生态环境局",
                        "长安测试企业": "河北省生态环境厅", "定州测试企业": "定州市生态环境局"}
    assert {row.name: row.county for row in final.listed}["定州测试企业"] == ""  # a city-level unit


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def fonts(content: bytes):
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            yield descendants[0].get_object() if descendants else font


@pytest.mark.django_db
def test_the_pdf_for_stamping(checked, client):
    task = checked.roster_task("130600")
    as_user(client, checked.user(Role.CITY))
    response = client.get(url("final_list_pdf", task))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert unquote(response["Content-Disposition"]).endswith("（保定市生态环境局）.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height and round(float(width) / 72 * 25.4) == 297  # A4 landscape
    text = re.sub(r"\s+", "", pdf_text(response.content))
    for expected in ("测试批次清洁生产审核名单", "莲池测试企业", "莲池增补企业", FAKE_USCC_NEW, "增补待审",
                     "标注为“否”的企业", "涿州测试企业", "已停产", "保定市生态环境局（章）"):
        assert expected in text, expected
    names = set()
    for font in fonts(response.content):
        descriptor = font["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
        names.add(str(font["/BaseFont"]).lstrip("/"))
    assert names and all(re.fullmatch(r"[A-Z]{6}\+.*Noto.*CJK.*", name) for name in names), names


@pytest.mark.django_db
def test_a_long_list_runs_over_pages_and_keeps_every_name(published):
    from conftest import make_enterprise
    from qingshen.campaigns.models import CampaignEnterprise

    task = published.roster_task("130600")
    for n in range(60):
        enterprise = make_enterprise(f"长名单企业{n:02d}", "130606")
        CampaignEnterprise(campaign=published.campaign, enterprise=enterprise, reasons=["key_task"], seq=100 + n).save()
    content = final_list.as_pdf(final_list.build(task))
    assert len(PdfReader(io.BytesIO(content)).pages) > 1
    text = re.sub(r"\s+", "", pdf_text(content))
    assert all(f"长名单企业{n:02d}" in text for n in range(60))
    rows = sheet_rows(final_list.as_xlsx(final_list.build(task)))
    assert len(rows) == 2 + 62 and rows[-1][0] == 62
