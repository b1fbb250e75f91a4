"""The shape every exported table shares: a heading row, a line saying what it covers and when
it was made, the column headers in bold, then the rows — and the response that downloads it.
One place, so every .xlsx the officials hand on reads alike."""

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def made_at(scope: str = "", moment=None) -> str:
    """“范围：保定市　导出时间：2022-03-01 09:30”."""
    when = f"导出时间：{timezone.localtime(moment or timezone.now()):%Y-%m-%d %H:%M}"
    return f"{scope}　{when}" if scope else when


def fill(sheet, title: str, heading: str, note: str, header: list, rows, width: int = 18, notes=()) -> None:
    """Write one table into `sheet` (named `title`, at most 31 characters as Excel allows)."""
    sheet.title = title[:31]
    sheet.append([heading])
    sheet.append([note])
    for extra in notes:
        sheet.append([extra])
    sheet.append(header)
    header_row = sheet.max_row
    for row in rows:
        sheet.append(row)
    for cell in (sheet["A1"], *sheet[header_row]):
        cell.font = Font(bold=True)
    for index in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def single(title: str, heading: str, note: str, header: list, rows, **options) -> bytes:
    """A workbook of one table, as bytes."""
    workbook = Workbook()
    fill(workbook.active, title, heading, note, header, rows, **options)
    return to_bytes(workbook)


def to_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def response(content: bytes, filename: str) -> HttpResponse:
    """The file as a download named `filename`."""
    result = HttpResponse(content, content_type=CONTENT_TYPE)
    result["Content-Disposition"] = content_disposition_header(True, filename)
    return result
