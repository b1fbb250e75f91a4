"""Stamped letters uploaded in bulk: split into pages, read each page's QR code, file the page
as the stamped copy of its letter, and say why for every page that could not be matched."""

import io

import pypdfium2
from PIL import Image

from qingshen.files.services import store
from qingshen.notices import qr, services
from qingshen.notices.models import NoticeLetter, ScanPage

RENDER_SCALE = 200 / 72  # PDF pages are read at 200 dpi


def pages_of(stored_file):
    """(label, PIL image, single-page file bytes, kind) for each page of an uploaded file."""
    content = stored_file.open_content()
    if stored_file.mime == "application/pdf":
        document = pypdfium2.PdfDocument(content)
        try:
            for index in range(len(document)):
                image = document[index].render(scale=RENDER_SCALE).to_pil()
                yield f"{stored_file.original_name} 第 {index + 1} 页", image, _single_page(content, index), "pdf"
        finally:
            document.close()
    else:
        image = Image.open(io.BytesIO(content))
        image.load()
        yield stored_file.original_name, image, content, stored_file.mime.split("/")[1]


def _single_page(content: bytes, index: int) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(content)).pages[index])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def process(actor, batch, progress) -> list[ScanPage]:
    letters = {letter.number: letter for letter in NoticeLetter.objects.filter(task=batch.task)}
    sources = list(batch.sources.order_by("pk"))
    seen: dict[int, int] = {}
    pages = []
    total = sum(source.pages for source in sources)
    index = 0
    for source in sources:
        for label, image, page_bytes, kind in pages_of(source):
            index += 1
            extension = "pdf" if kind == "pdf" else ("jpg" if kind == "jpeg" else "png")
            allowed = ("pdf",) if kind == "pdf" else ("jpeg", "png")
            stored = store(actor, f"扫描页-{index}.{extension}", page_bytes, allowed=allowed)
            page = ScanPage(batch=batch, index=index, source_name=label, image=stored)
            _match(actor, page, image, letters, seen)
            page.save()
            pages.append(page)
            progress(index, total)
    return pages


def _match(actor, page, image, letters, seen):
    payloads = qr.read_payloads(image)
    if not payloads:
        page.outcome = ScanPage.Outcome.NO_CODE
        return
    page.payload = payloads[0]
    parsed = qr.parse(payloads[0])
    letter = letters.get(parsed[0]) if parsed else None
    if letter is None:
        page.outcome = ScanPage.Outcome.UNKNOWN
        return
    number, revision = parsed
    letter.refresh_from_db()
    if revision != letter.revision:
        page.outcome = ScanPage.Outcome.STALE
        return
    if letter.pk in seen:
        page.outcome = ScanPage.Outcome.DUPLICATE
        return
    seen[letter.pk] = page.index
    services.attach_stamped_copy(actor, letter, None, revision=revision, via=NoticeLetter.StampedVia.SCAN,
                                 stored=page.image)
    page.letter = letter
    page.outcome = ScanPage.Outcome.MATCHED
