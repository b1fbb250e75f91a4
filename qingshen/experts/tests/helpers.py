"""Made-up experts and real .xlsx files for the tests (every name says it is made up)."""

import html
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from qingshen.experts.importing import COLUMNS
from qingshen.experts.models import Expert
from qingshen.regions.models import Region

HEADERS = [c.header for c in COLUMNS]


def region(code) -> Region:
    return Region.objects.get(code=code)


def make_expert(name="测试专家甲", pool="130600", home="130681", employer="测试大学（虚构）", **values) -> Expert:
    """An expert written directly (tests that need rows, not the service)."""
    expert = Expert(name=name, employer=employer, pool=region(pool), home_region=region(home), **values)
    expert.save()
    return expert


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def expert_file(*rows: dict) -> bytes:
    """The template's header, then one row per dict (column header → cell)."""
    return xlsx_bytes([HEADERS, *[[row.get(h, "") for h in HEADERS] for row in rows]])


def upload(client, content: bytes, filename="专家名单.xlsx"):
    return client.post("/experts/import/", {"file": SimpleUploadedFile(filename, content)})


def text_of(response) -> str:
    """The page's visible text, whitespace collapsed."""
    page = re.sub(r"</?(strong|span|a|em|b)\b[^>]*>", "", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def payload_of(response) -> str:
    match = re.search(r'name="payload" value="([^"]+)"', response.content.decode())
    return html.unescape(match.group(1)) if match else ""
