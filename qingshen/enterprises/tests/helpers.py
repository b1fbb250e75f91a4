"""Building real import files and reading the pages the import shows."""

import csv
import html
import io
import re
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from qingshen.enterprises.models import ImportBatch

SEED_CSV = Path(settings.BASE_DIR) / "qingshen" / "demo" / "data" / "seed_enterprises_batch2_baoding.csv"

#: Made-up codes for made-up enterprises; each has a valid GB 32100-2015 check digit.
FAKE_USCC_1 = "91130681MA00000016"
FAKE_USCC_2 = "91130681MA00000029"
FAKE_USCC_3 = "91130606MA0000003Q"


def seed_rows() -> list[dict]:
    with SEED_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def csv_bytes(rows: list[list], encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_xlsx(content: bytes) -> list[list]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def upload(client, filename: str, content: bytes):
    return client.post("/enterprises/import/", {"file": SimpleUploadedFile(filename, content)})


def upload_ok(client, filename: str, content: bytes) -> ImportBatch:
    """Upload a readable file; returns its batch (the upload redirects to the preview)."""
    response = upload(client, filename, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = ImportBatch.objects.latest("pk")
    assert response["Location"] == f"/enterprises/import/{batch.pk}/"
    return batch


def text_of(fragment: str) -> str:
    """Visible text of an HTML fragment as a reader sees it: inline tags vanish, other tags
    separate words, whitespace collapses."""
    fragment = re.sub(r"</?(strong|span|a|em|b)\b[^>]*>", "", fragment)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def preview_rows(response) -> dict[int, str]:
    """The preview table as {line number: visible text of that row}."""
    page = response.content.decode()
    rows = re.findall(r'<tr class="[^"]*">\s*<td class="num">(\d+)</td>(.*?)</tr>', page, flags=re.S)
    return {int(line): text_of(rest) for line, rest in rows}


def page_text(response) -> str:
    return text_of(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []
