"""The documents of a report, read back: the PDF's text (pdftotext) holds the title, the text
and the figures, a draft says 草稿, the CJK faces are embedded (pdffonts); the .xlsx (openpyxl)
has 总体情况, 分地区 and 企业明细 with the same figures."""

import io
import re
import subprocess

import pytest
from openpyxl import load_workbook

from qingshen.core.roles import Role
from qingshen.summaries import documents, figures, services
from qingshen.summaries.tests.helpers import arrange

TEXT = {"progress": "测试：共组织两家企业开展审核。\n第二段测试文字。", "achievements": "测试：成效显著",
        "problems": "测试：<b>个别企业</b>进度滞后", "next_steps": "测试：加强督办"}


def pdftotext(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", "", out.stdout.decode())


@pytest.fixture
def city_report(world):
    arrange(world)
    report = services.save_draft(world.user(Role.CITY), world.campaign, "work", stamp_seen="", **TEXT)
    return services.submit(world.user(Role.CITY), report, stamp_seen=services.stamp(report))


def test_the_submitted_pdf_reads_back(city_report):
    text = pdftotext(city_report.pdf_file.open_content())
    name = city_report.organization.name
    assert f"{name}关于测试批次清洁生产审核工作总结" in text
    for expected in ("一、工作开展情况", "测试：共组织两家企业开展审核。", "第二段测试文字。", "四、下一步工作",
                     "测试：<b>个别企业</b>进度滞后", "无低费方案", "202.50", "82.50", "莲池区", "涿州市", "评估不通过"):
        assert expected in text, expected
    assert "草稿" not in text


def test_the_cjk_faces_are_embedded(city_report):
    lines = subprocess.run(["pdffonts", "-"], input=city_report.pdf_file.open_content(), capture_output=True,
                           check=True).stdout.decode().splitlines()
    header, rows = lines[0], lines[2:]
    emb = header.index(" emb") + 1
    assert {row.split()[0].split("+")[1] for row in rows} <= {"Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold"}
    assert rows and all(row[emb:emb + 3] == "yes" for row in rows), rows


def test_a_draft_says_so(world):
    report = services.save_draft(world.user(Role.COUNTY), world.campaign, "evaluation", stamp_seen="", **TEXT)
    live = figures.compute(world.campaign, report.organization.region, "evaluation")
    text = pdftotext(documents.pdf(report, live, draft=True))
    assert "草稿" in text and "审核方案评估情况的汇总" in text and "已申请验收" not in text


def test_the_workbook_reads_back(city_report):
    workbook = load_workbook(io.BytesIO(city_report.xlsx_file.open_content()))
    assert workbook.sheetnames == ["总体情况", "分地区", "企业明细"]
    overview = [tuple(cell for cell in row if cell is not None) for row in workbook["总体情况"].iter_rows(values_only=True)]
    assert overview[0][0] == city_report.title
    assert ("名单企业", 2) in overview and ("评估通过", 1) in overview and ("评估不通过", 1) in overview
    assert ("合计", 3, 202.5, 2, 82.5) in overview
    regions = list(workbook["分地区"].iter_rows(values_only=True))
    assert regions[1][0] == "区县" and [row[0] for row in regions[2:]] == ["莲池区", "涿州市", "合计"]
    detail = list(workbook["企业明细"].iter_rows(values_only=True))
    header = detail[1]
    rows = {row[0]: dict(zip(header, row)) for row in detail[2:]}
    assert rows["涿州测试企业"]["所处阶段"] == "评估通过" and rows["涿州测试企业"]["投资（万元）"] == 122.5
    assert rows["莲池测试企业"]["中高费方案数"] == 1 and rows["莲池测试企业"]["COD 削减（吨/年）"] == 1.25
