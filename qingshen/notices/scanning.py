"""Stamped letters uploaded in bulk: split into pages, read each page's QR code, put the pages
of each letter together as its stamped copy, and say why for every page that could not be
matched.

A letter has two pages, each with its own code (`QINGSHEN-GZS|number|revision` on the first,
`…|2` on the second, see `letters`), so its pages are recognised in any order and however the
stack was fed. Every page is kept (its ScanPage row, with its own file); the pages found of a
current letter become, in page order, one file filed as that letter's stamped copy. A page
is reported when it has no code (a blank page, a code torn off or unreadable), a code that is
not one of this department's letters, a code of a revision since regenerated (the old print
no longer counts), or a page already seen (the same letter scanned twice).
"""

import io
from dataclasses import dataclass, field

import pypdfium2
from django.core.exceptions import ValidationError
from PIL import Image
from pypdf import PdfReader, PdfWriter

from qingshen.files.services import store
from qingshen.jobs.registry import JobError
from qingshen.notices import qr, services
from qingshen.notices.models import NoticeLetter, ScanPage

RENDER_SCALE = 200 / 72  # PDF pages are read at 200 dpi


def pages_of(stored_file):
    """(label, PIL image, single-page file bytes, kind) for each page of an uploaded file."""
    content = stored_file.open_content()
    if stored_file.mime == "application/pdf":
        document = pypdfium2.PdfDocument(content)
        reader = PdfReader(io.BytesIO(content))
        try:
            for index in range(len(document)):
                image = document[index].render(scale=RENDER_SCALE).to_pil()
                yield (f"{stored_file.original_name} 第 {index + 1} 页", image, _single_page(reader, index), "pdf")
        finally:
            document.close()
    else:
        image = Image.open(io.BytesIO(content))
        image.load()
        yield stored_file.original_name, image, content, stored_file.mime.split("/")[1]


def _single_page(reader: PdfReader, index: int) -> bytes:
    writer = PdfWriter()
    writer.add_page(reader.pages[index])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@dataclass
class _Read:
    """One page as read, before the pages of each letter are put together."""

    page: ScanPage
    content: bytes
    kind: str  # pdf, jpeg, png
    number: str = ""
    revision: int = 0
    page_no: int = 0


@dataclass
class _Copy:
    """The pages of one letter found in the batch."""

    letter: NoticeLetter
    pages: dict = field(default_factory=dict)  # page number → _Read


def process(actor, batch, progress) -> list[ScanPage]:
    letters = {letter.number: letter
               for letter in NoticeLetter.objects.filter(task=batch.task).select_related("pdf")}
    sources = list(batch.sources.order_by("pk"))
    total = sum(source.pages for source in sources)
    reads: list[_Read] = []
    copies: dict[int, _Copy] = {}
    index = 0
    for source in sources:
        for label, image, page_bytes, kind in pages_of(source):
            index += 1
            extension = {"pdf": "pdf", "jpeg": "jpg"}.get(kind, "png")
            allowed = ("pdf",) if kind == "pdf" else ("jpeg", "png")
            stored = store(actor, f"扫描页-{index}.{extension}", page_bytes, allowed=allowed)
            read = _Read(ScanPage(batch=batch, index=index, source_name=label, image=stored), page_bytes, kind)
            _classify(read, qr.read_payloads(image), letters, copies)
            reads.append(read)
            progress(index, total)
    for copy in copies.values():
        _file(actor, copy)
    for read in reads:
        read.page.save()
    return [read.page for read in reads]


def _classify(read: _Read, payloads: list[str], letters: dict, copies: dict[int, _Copy]):
    page = read.page
    if not payloads:
        page.outcome = ScanPage.Outcome.NO_CODE
        return
    page.payload = payloads[0]
    parsed = qr.parse_page(payloads[0])
    letter = letters.get(parsed[0]) if parsed else None
    if letter is None or parsed[2] > _page_count(letter):
        page.outcome = ScanPage.Outcome.UNKNOWN
        return
    read.number, read.revision, read.page_no = parsed
    if read.revision != letter.revision:
        page.outcome = ScanPage.Outcome.STALE
        return
    copy = copies.setdefault(letter.pk, _Copy(letter))
    if read.page_no in copy.pages:
        page.outcome = ScanPage.Outcome.DUPLICATE
        return
    copy.pages[read.page_no] = read
    page.outcome = ScanPage.Outcome.MATCHED
    page.letter, page.letter_revision, page.letter_page = letter, read.revision, read.page_no


def _page_count(letter: NoticeLetter) -> int:
    return letter.pdf.pages if letter.pdf_id else 1


def _file(actor, copy: _Copy):
    """File a letter's pages (in page order, as one file) as its stamped copy."""
    reads = [copy.pages[number] for number in sorted(copy.pages)]
    letter = copy.letter
    if len(reads) == 1:
        stored = reads[0].page.image
    else:
        stored = store(actor, f"盖章件-{letter.number}.pdf", as_one_pdf([(r.content, r.kind) for r in reads]),
                       allowed=("pdf",))
    try:
        services.attach_stamped_copy(actor, letter, None, revision=letter.revision,
                                     via=NoticeLetter.StampedVia.SCAN, stored=stored)
    except ValidationError as exc:
        current = NoticeLetter.objects.filter(pk=letter.pk).values_list("revision", flat=True).first()
        if current is not None and current != letter.revision:  # regenerated while the job ran
            for read in reads:
                read.page.outcome, read.page.letter = ScanPage.Outcome.STALE, None
            return
        raise JobError(exc.messages[0]) from exc


def as_one_pdf(pages: list[tuple[bytes, str]]) -> bytes:
    """Single pages (PDF pages or scanned images, as (content, kind)) as one PDF, in order."""
    writer = PdfWriter()
    for content, kind in pages:
        if kind == "pdf":
            writer.append(io.BytesIO(content))
        else:
            with Image.open(io.BytesIO(content)) as image:
                buffer = io.BytesIO()
                dpi = image.info.get("dpi", (200, 200))[0] or 200
                image.convert("RGB").save(buffer, format="PDF", resolution=float(dpi))
            writer.append(io.BytesIO(buffer.getvalue()))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
