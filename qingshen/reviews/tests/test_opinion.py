"""The opinion document of a review as a printed PDF: every element the issue names is in the
text (read back with poppler's pdftotext), in the right kind of document only, the CJK face is
embedded, a long opinion runs on to a second page with the number and page count in the footer,
and what an expert typed prints as typed — markup included.

All names, numbers and texts are made up (测试 / 虚构). The PDFs are rendered once for the
module (about a second each).
"""

import ctypes
import io
import re
import subprocess
from dataclasses import replace
from datetime import date

import pypdfium2
import pytest
from pypdf import PdfReader

from qingshen.reviews import opinion

A4 = (595.28, 841.89)

MADE_UP_EXPERTS = [
    ("测试甲", "正高级工程师", "虚构环境科学研究院", "组长"),
    ("测试乙", "高级工程师", "虚构化工设计院", "成员"),
    ("测试丙", "教授", "虚构理工大学", "成员"),
]

MADE_UP_EVALUATION = opinion.OpinionContent(
    kind="evaluation",
    number="QS-PG-TEST-0001",
    organiser="虚构市生态环境局",
    organiser_level="市级",
    enterprise_name="虚构测试化工有限公司",
    project_number="XM-TEST-0001",
    campaign_name="测试批次强制性清洁生产审核",
    industry="测试化学原料制造",
    experts=MADE_UP_EXPERTS,
    document_review_on=date(2022, 3, 1),
    site_review_on=date(2022, 3, 9),
    site_review_place="虚构工业园区企业厂区",
    decided_on=date(2022, 3, 10),
    conclusion="rectify",
    opinion="该企业审核过程基本规范（测试段落一）。\n\n　　方案的确定基本合理（测试段落二）。\n",
    rectification=[("补充测试监测报告", date(2022, 4, 5)), ("完善测试方案的经济效益核算", date(2022, 4, 20))],
    rectify_by=date(2022, 4, 30),
    acceptance_deadline=date(2022, 6, 1),
    confirmed_level="",
    benchmark_note="依据的指标体系为试算，不作为正式等级",
    issued_on=date(2022, 3, 11),
)

MADE_UP_ACCEPTANCE = replace(
    MADE_UP_EVALUATION,
    kind="acceptance",
    number="QS-YS-TEST-0002",
    organiser="虚构省生态环境厅",
    organiser_level="省级",
    conclusion="passed",
    opinion="方案已全部实施（测试）。",
    rectification=[],
    rectify_by=None,
    acceptance_deadline=date(2022, 6, 1),  # set, to show an acceptance does not print it
    confirmed_level="II级（国内清洁生产先进水平）",
    benchmark_note="",
    issued_on=date(2022, 7, 8),
)

#: A failed acceptance that confirmed no level; the site was not visited.
MADE_UP_UNCONFIRMED = replace(MADE_UP_ACCEPTANCE, conclusion="failed", confirmed_level="", site_review_on=None,
                              site_review_place="")

LONG_PARAGRAPHS = [f"第{n}条测试意见：" + "虚构的审查意见内容用于测试分页效果，" * 4 + "测试结束。" for n in range(1, 8)]

#: An evaluation with a long opinion (two pages), no documents reviewed online, no acceptance
#: deadline; its text carries markup that must print as text.
MADE_UP_LONG = replace(
    MADE_UP_EVALUATION,
    number="QS-PG-TEST-0003",
    enterprise_name="虚构<b>加粗</b>&测试公司",
    document_review_on=None,
    conclusion="failed",
    opinion="\n".join(LONG_PARAGRAPHS + ["<script>alert('测试')</script>"]),
    rectification=[],
    rectify_by=None,
    acceptance_deadline=None,
    benchmark_note="",
)


@pytest.fixture(scope="module")
def pdfs():
    return {name: opinion.render(content) for name, content in (
        ("evaluation", MADE_UP_EVALUATION), ("acceptance", MADE_UP_ACCEPTANCE),
        ("unconfirmed", MADE_UP_UNCONFIRMED), ("long", MADE_UP_LONG))}


def text_of(pdf: bytes, layout: bool = False) -> str:
    """The text as poppler reads it; with `layout`, a table row stays on one line."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), "-", "-"],
                          input=pdf, capture_output=True, check=True).stdout.decode()


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- names and labels -----------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "conclusion", "expected"), [
    ("evaluation", "passed", "通过评估"),
    ("evaluation", "failed", "未通过评估"),
    ("evaluation", "rectify", "整改后重新提交"),
    ("acceptance", "passed", "通过验收"),
    ("acceptance", "failed", "未通过验收"),
    ("acceptance", "rectify", "整改后重新提交"),
])
def test_conclusion_label(kind, conclusion, expected):
    assert opinion.conclusion_label(conclusion, kind) == expected


def test_titles_and_unknown_values():
    assert opinion.title("evaluation") == "清洁生产审核评估技术审查意见"
    assert opinion.title("acceptance") == "清洁生产审核验收意见"
    with pytest.raises(ValueError):
        opinion.title("review")
    with pytest.raises(ValueError):
        opinion.conclusion_label("pending", "evaluation")
    with pytest.raises(ValueError):
        opinion.render(replace(MADE_UP_EVALUATION, kind="review"))


def test_paragraphs_one_per_line_without_typed_indents():
    assert opinion.paragraphs("　　甲。\n\n  乙。\r\n\n丙。  ") == ["甲。", "乙。", "丙。"]


# --- the page and the fonts -----------------------------------------------------------------


def test_a4_pages(pdfs):
    for name, pages in (("evaluation", 2), ("acceptance", 1), ("unconfirmed", 1), ("long", 2)):
        reader = PdfReader(io.BytesIO(pdfs[name]))
        assert len(reader.pages) == pages, name
        for page in reader.pages:
            assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4, abs=1)


def test_pdffonts_shows_the_cjk_font_embedded(pdfs):
    lines = subprocess.run(["pdffonts", "-"], input=pdfs["evaluation"], capture_output=True,
                           check=True).stdout.decode().splitlines()
    header, rows = lines[0], lines[2:]
    emb = header.index(" emb") + 1
    assert {row.split()[0].split("+")[1] for row in rows} == {"Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold"}
    assert all(row[emb:emb + 3] == "yes" for row in rows), rows


def _font_of(pdf: bytes, text: str) -> str:
    """The font of the first character of `text` (on the first page that has it)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        for page in document:
            textpage = page.get_textpage()
            index = textpage.get_text_range().find(text)
            if index >= 0:
                name = ctypes.create_string_buffer(128)
                pypdfium2.raw.FPDFText_GetFontInfo(textpage.raw, index, name, len(name), None)
                return name.value.decode()
        raise AssertionError(f"{text} not found")
    finally:
        document.close()


def test_the_conclusion_is_bold(pdfs):
    assert _font_of(pdfs["evaluation"], "整改后重新提交").endswith("Noto-Serif-CJK-SC-Bold")
    assert _font_of(pdfs["evaluation"], "该企业审核过程").endswith("Noto-Serif-CJK-SC")


# --- the text -------------------------------------------------------------------------------


def test_evaluation_has_every_element(pdfs):
    text = squeezed(text_of(pdfs["evaluation"]))
    for expected in ["清洁生产审核评估技术审查意见", "编号：QS-PG-TEST-0001",
                     "企业名称虚构测试化工有限公司", "项目编号XM-TEST-0001", "审核批次测试批次强制性清洁生产审核",
                     "所属行业测试化学原料制造", "组织单位虚构市生态环境局（市级）",
                     "线上文审：2022年3月1日", "现场审核：2022年3月9日，地点：虚构工业园区企业厂区",
                     "意见形成日期：2022年3月10日",
                     "审查意见该企业审核过程基本规范（测试段落一）。方案的确定基本合理（测试段落二）。",
                     "结论：整改后重新提交。请于2022年4月30日前完成整改",
                     "整改要求序号整改内容完成时限",
                     "验收时限：请于2022年6月1日前完成方案实施并提出验收申请",
                     "说明：依据的指标体系为试算，不作为正式等级",
                     "专家组组长（签字）：", "虚构市生态环境局2022年3月11日"]:
        assert expected in text, expected
    assert "清洁生产水平" not in text
    assert not re.search(r"年0\d月|月0\d日", text)  # no leading zeros


def test_each_expert_and_each_rectification_item_on_its_row(pdfs):
    for name in ("evaluation", "acceptance"):
        rows = text_of(pdfs[name], layout=True)
        for seq, (expert, rank, employer, role) in enumerate(MADE_UP_EXPERTS, start=1):
            assert re.search(rf"^\s*{seq}\s+{expert}\s+{rank}\s+{employer}\s+{role}\s*$", rows, re.M), expert
    rows = text_of(pdfs["evaluation"], layout=True)
    assert re.search(r"^\s*1\s+补充测试监测报告\s+2022年4月5日\s*$", rows, re.M)
    assert re.search(r"^\s*2\s+完善测试方案的经济效益核算\s+2022年4月20日\s*$", rows, re.M)


def test_acceptance_has_the_confirmed_level_and_no_acceptance_deadline(pdfs):
    text = squeezed(text_of(pdfs["acceptance"]))
    for expected in ["清洁生产审核验收意见", "编号：QS-YS-TEST-0002", "组织单位虚构省生态环境厅（省级）",
                     "结论：通过验收", "清洁生产水平：II级（国内清洁生产先进水平）", "虚构省生态环境厅2022年7月8日"]:
        assert expected in text, expected
    for absent in ["评估技术审查意见", "验收时限", "2022年6月1日", "整改要求", "请于", "未确认", "说明："]:
        assert absent not in text, absent


def test_acceptance_without_a_confirmed_level_says_so(pdfs):
    text = squeezed(text_of(pdfs["unconfirmed"]))
    assert "结论：未通过验收" in text
    assert "清洁生产水平：未确认" in text
    assert "现场审核：未开展" in text and "地点" not in text


def test_evaluation_without_acceptance_deadline_or_rectification(pdfs):
    text = squeezed(text_of(pdfs["long"]))
    assert "结论：未通过评估" in text
    assert "线上文审：未开展" in text
    for absent in ["验收时限", "整改要求", "清洁生产水平"]:
        assert absent not in text, absent


def test_long_opinion_runs_to_two_pages_with_number_and_page_count(pdfs):
    pages = text_of(pdfs["long"]).split("\f")[:2]
    for page, footer in zip(pages, ["第1页共2页", "第2页共2页"], strict=True):
        assert "编号：QS-PG-TEST-0003" + footer in squeezed(page)
    body = re.sub(r"编号：QS-PG-TEST-0003第\d页共2页", "", "".join(squeezed(page) for page in pages))
    assert "".join(LONG_PARAGRAPHS) in body  # every paragraph, in order, across the page break
    assert "第1页共1页" in squeezed(text_of(pdfs["acceptance"]))


def test_markup_prints_as_typed(pdfs):
    text = squeezed(text_of(pdfs["long"]))
    assert "<script>alert('测试')</script>" in text
    assert "企业名称虚构<b>加粗</b>&测试公司" in text
