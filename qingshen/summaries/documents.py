"""The report as documents: an A4 PDF (WeasyPrint, the Noto Serif CJK SC faces embedded as
subsets, as the review opinions) and an .xlsx workbook (openpyxl) with the sheets 总体情况,
分地区 (when the author has a level below) and 企业明细.

Both are pure functions of the report's text and a figures dict (`figures.compute`'s data):
a draft is printed from live figures with 草稿 in its heading and a watermark; the submitted
version is printed once, from its frozen figures, and stored (`services.submit`). One PDF
takes about a second, so it is made in the request; no background job is needed.
"""

import io
from datetime import date

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from qingshen.core.pdf import render_pdf
from qingshen.notices.letters import chinese_date
from qingshen.summaries import tables


def _issued_on(report) -> date:
    moment = report.submitted_at or timezone.now()
    return timezone.localtime(moment).date()


def context(report, figures, *, draft: bool) -> dict:
    return {
        **tables.context(figures), "report": report, "title": report.title, "draft": draft,
        "texts": [(heading, [line.strip() for line in text.splitlines() if line.strip()])
                  for _, heading, text in report.texts()],
        "issued_on": chinese_date(_issued_on(report)),
    }


def pdf(report, figures, *, draft: bool) -> bytes:
    return render_pdf("summaries/summary_pdf.html", context(report, figures, draft=draft))


def _sheet(workbook, title: str, heading: str, header: list, rows: list, first=False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append([heading])
    sheet["A1"].font = Font(bold=True)
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([float(value) if hasattr(value, "as_tuple") else value for value in row])
    for index in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 30 if index == 1 else 16
    return sheet


def xlsx(report, figures, *, draft: bool) -> bytes:
    heading = f"{report.title}{'（草稿）' if draft else ''}"
    workbook = Workbook()
    rows = [[label, n] for label, n in tables.overview(figures)]
    options_header, options_rows = tables.options(figures)
    sheet = _sheet(workbook, "总体情况", heading, ["项目", "企业数"], rows, first=True)
    sheet.append([])
    sheet.append(options_header)
    for row in options_rows:
        sheet.append([float(v) if hasattr(v, "as_tuple") else v for v in row])
    benefits_header, benefits_rows = tables.benefits(figures)
    sheet.append([])
    sheet.append([f"{benefits_header[0]}（{tables.basis_label(figures)}）", *benefits_header[1:]])
    for row in benefits_rows:
        sheet.append([float(v) if hasattr(v, "as_tuple") else v for v in row])
    if tables.benchmarks(figures):
        sheet.append([])
        sheet.append(["实施后对标等级", "企业数"])
        for label, n in tables.benchmarks(figures):
            sheet.append([label, n])
    regions_header, regions_rows = tables.regions(figures)
    if regions_header:
        _sheet(workbook, "分地区", heading, regions_header, regions_rows)
    _sheet(workbook, "企业明细", heading, *tables.enterprises(figures))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(report, extension: str, *, draft: bool) -> str:
    suffix = "草稿" if draft else f"第{report.version}版"
    return f"{report.organization.name}-{report.get_kind_display()}-{report.campaign.code}-{suffix}.{extension}"
