"""The .xlsx files of the permit pages (a few hundred rows at most: made at once, like the
handover list)."""

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Font

LINE_HEADER = ["序号", "企业名称", "统一社会信用代码", "所在区县", "排污许可管理类别", "变更情况", "变更日期",
               "排污许可证编号", "截止日期", "完成情况"]


def line_cells(index, line) -> list:
    """A line of the list (`lines.Line`) or of a report's frozen snapshot (a dict)."""
    data = line if isinstance(line, dict) else line.snapshot()
    return [index, data["enterprise"], data["uscc"], data["region"], data["category"],
            "已变更" if data["changed"] else "未变更", data["changed_on"], data["permit_number"], data["due"],
            data["state"]]


def response(title: str, sheet_title: str, header, rows, notes=()) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append([title])
    sheet.append([f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}"])
    for note in notes:
        sheet.append([note])
    sheet.append(header)
    header_row = sheet.max_row
    for row in rows:
        sheet.append(row)
    for cell in (sheet["A1"], *sheet[header_row]):
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = HttpResponse(buffer.getvalue(),
                          content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    result["Content-Disposition"] = content_disposition_header(True, f"{title.strip()}.xlsx")
    return result
