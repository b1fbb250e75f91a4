"""Bulk upload of stamped letters: test scans are made by printing real letters to images
(pypdfium2), stamping, rotating, adding a grey cast, noise, dust, blur and JPEG compression
(Pillow), and handing them to the QR reading job as a county would upload them — one
multi-page PDF, or many images.

The county's letters are generated once for the module (in a transaction rolled back at the
end); each test runs in a savepoint inside it.
"""

import io
import random
from types import SimpleNamespace

import pypdfium2
import pytest
import segno
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from conftest import CampaignWorld, kept_for_module, make_enterprise
from qingshen.campaigns import services as campaigns
from qingshen.core.roles import Role
from qingshen.files.services import store
from qingshen.notices import jobs, letters, qr
from qingshen.notices import services as notices
from qingshen.notices.models import NoticeLetter, ScanBatch, ScanPage, qr_payload

pytestmark = pytest.mark.django_db

Outcome = ScanPage.Outcome


# --- making scans -----------------------------------------------------------------------------


def render(pdf: bytes, dpi: int) -> list[Image.Image]:
    """The pages as a printer would put them on paper and a scanner read them back, at `dpi`."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[i].render(scale=dpi / 72).to_pil() for i in range(len(document))]
    finally:
        document.close()


def _noise(size, amplitude, rng):
    raw = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    return raw.point(lambda v: max(0, min(255, round(128 + (v - 128) * amplitude / 128))))


def scan(page: Image.Image, *, stamp=False, angle=0.0, turn=0, grey=False, noise=0, dust=False, blur=0.0,
         colour=False, seed=1) -> Image.Image:
    """A scanned copy of a printed page: the red seal over the signature (last page) and a
    staple in the top left corner; a grey cast (recycled paper, a copier's toner); skewed by
    `angle` degrees and fed `turn` degrees round; blur of `blur` pixels; noise of ± `noise`
    levels; dust (black and white specks). In greyscale, as office scanners send letters,
    unless `colour`. Deterministic for a seed."""
    rng = random.Random(seed)
    image = page.convert("RGB")
    w, h = image.size
    draw = ImageDraw.Draw(image)
    draw.line((w * 0.03, h * 0.02, w * 0.09, h * 0.045), fill=(110, 110, 110), width=max(2, w // 400))
    if stamp:
        r, cx, cy = w * 21 / 210, w * 0.70, h * 0.52
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(205, 30, 40), width=max(3, w // 200))
        draw.regular_polygon((cx, cy, r * 0.3), 5, fill=(205, 30, 40))
    if not colour:
        image = image.convert("L")
    paper = (170, 165, 150) if colour else 165
    if grey:
        image = Image.blend(image, Image.new(image.mode, image.size, paper), 0.35)
    if angle:
        background = (228, 228, 225) if colour else 228
        image = image.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=background)
    if turn:
        image = image.rotate(turn, expand=True)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        n = _noise(image.size, noise, rng)
        image = ImageChops.add(image, Image.merge("RGB", (n, n, n)) if colour else n, 1.0, -128)
    if dust:
        raw = Image.frombytes("L", image.size, rng.randbytes(image.size[0] * image.size[1]))
        black, white = ((0, 0, 0), (255, 255, 255)) if colour else (0, 255)
        image.paste(black, mask=raw.point(lambda v: 255 if v > 253 else 0))
        image.paste(white, mask=raw.point(lambda v: 255 if v < 2 else 0))
    return image


def jpeg(image, quality=40) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, dpi=(150, 150))
    return buffer.getvalue()


def png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def scanned_pdf(images, dpi=150) -> bytes:
    """A multi-page scan as a scanner writes it: one JPEG image a page."""
    buffer = io.BytesIO()
    first, *rest = images
    first.save(buffer, "PDF", save_all=True, append_images=rest, resolution=float(dpi), quality=50)
    return buffer.getvalue()


def blank_page(dpi=150) -> Image.Image:
    return Image.new("RGB", (round(210 / 25.4 * dpi), round(297 / 25.4 * dpi)), "white")


def page_with_code(payload, dpi=150) -> Image.Image:
    """A page with a QR code where a letter has it: a web address (somebody else's code), or
    a letter's payload."""
    page = blank_page(dpi)
    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=round(0.8 / 25.4 * dpi), border=2)
    code = Image.open(buffer).convert("RGB")
    page.paste(code, (page.width - code.width - round(26 / 25.4 * dpi), round(6 / 25.4 * dpi)))
    return page


def page_with_other_code(dpi=150) -> Image.Image:
    return page_with_code("https://example.invalid/notice", dpi)


# --- the county, its letters, and the reading job ---------------------------------------------


class County:
    """涿州市 with three enterprises on the campaign and a printed letter for each."""

    def __init__(self):
        self.world = world = CampaignWorld("draft")
        province = world.user(Role.PROVINCE)
        for n in (1, 2):
            enterprise = make_enterprise(f"涿州扫描测试企业{n}", "130681")
            campaigns.add_member(province, world.campaign, enterprise, reasons=["key_task"], handling_level="city")
        world._published()
        world._verified()
        notices.issue(province, world.campaign)
        notices.dispatch(world.user(Role.CITY), world.notice_task("130600"), attested=True)
        self.user, self.task = world.user(Role.COUNTY), world.notice_task("130681")
        self.printed = {}  # number → the PDF as printed
        for member in self.task.members().order_by("seq", "pk"):
            letter, pdf, _ = notices.prepare_letter(self.user, self.task, member)
            self.printed[letter.number] = pdf
        self.numbers = list(self.printed)
        self._pages = {}

    def pages(self, number, dpi=150):
        key = (number, dpi)
        if key not in self._pages:
            self._pages[key] = render(self.printed[number], dpi)
        return self._pages[key]

    def letter(self, number) -> NoticeLetter:
        return NoticeLetter.objects.select_related("stamped_copy").get(number=number)

    def upload(self, *files):
        """Upload (name, bytes) files as one batch and run the reading job on it, as the job
        worker would; returns the batch's pages and the job's report."""
        batch = ScanBatch.objects.create(task=self.task, uploaded_by=self.user)
        batch.sources.add(*[store(self.user, name, content) for name, content in files])
        steps = []
        name, report = jobs.read_scan(SimpleNamespace(params={"batch_id": batch.pk}, owner=self.user),
                                      lambda done, total: steps.append((done, total)))
        pages = list(batch.pages.order_by("index"))
        assert steps[-1] == (len(pages), len(pages))
        return pages, report.decode()


@pytest.fixture(scope="module")
def _county(django_db_setup, django_db_blocker):
    with kept_for_module(django_db_blocker):
        yield County()


@pytest.fixture
def county(_county, db):
    return _county


def outcomes(pages):
    return [(page.outcome, page.letter.number if page.letter_id else None) for page in pages]


def stamped_payloads(letter: NoticeLetter) -> list[list[str]]:
    """The codes on each page of a letter's stamped copy, in its page order."""
    content = letter.stamped_copy.open_content()
    if letter.stamped_copy.mime != "application/pdf":
        return [qr.read_payloads(Image.open(io.BytesIO(content)))]
    return [qr.read_payloads(image) for image in render(content, 150)]


# --- reading one page -------------------------------------------------------------------------

#: name → (dpi, scan options, how the scanner saves it)
DEGRADED = {
    "clean 150 dpi": (150, {}, None),
    "skewed 3° at 200 dpi": (200, {"angle": 3}, None),
    "skewed −5°, grey cast, in colour": (150, {"angle": -5, "grey": True, "colour": True}, 60),
    "fed sideways (90°)": (150, {"turn": 90, "angle": 1}, 60),
    "upside down (180°)": (200, {"turn": 180}, 70),
    "fed sideways (270°), blurred": (150, {"turn": 270, "blur": 1.2}, 60),
    "noisy and dusty": (150, {"noise": 70, "dust": True}, None),
    "JPEG quality 15": (150, {"grey": True}, 15),
    "everything at 150 dpi": (150, {"angle": -3, "grey": True, "noise": 50, "dust": True, "blur": 1.0}, 35),
    "everything, upside down": (200, {"turn": 180, "angle": 2.5, "grey": True, "noise": 60, "dust": True,
                                      "blur": 1.2}, 25),
}


@pytest.fixture(scope="module")
def sample_letter():
    """A letter rendered without the database (the long real-world wording), its payload."""
    from datetime import date

    from qingshen.campaigns.models import MilestoneKind

    number = "2021-392-130607-012"
    content = letters.LetterContent(
        number=number, revision=3, enterprise_name="保定市满城区恒泰精细化工科技有限公司",
        preamble="根据《白洋淀生态环境综合治理方案（2020—2022年）》对白洋淀流域涉水行业企业2022年全部达到清洁化生产水平的"
                 "工作要求，你公司列入2021年第二批白洋淀流域涉水企业清洁生产审核名单",
        dates={kind: date(2022, 3, 1) for kind in MilestoneKind.values}, login_url="https://qingshen.example.invalid/",
        account="QY1306070012", activation_code="5WUL-CJNA-S7KD", department="保定市生态环境局满城区分局",
        issued_on=date(2021, 10, 12), qr_payload=qr_payload(number, 3))
    pdf = letters.render([content])
    return {dpi: render(pdf, dpi) for dpi in (150, 200)}, content.qr_payload


@pytest.mark.parametrize("name", DEGRADED)
def test_a_degraded_scan_still_reads(sample_letter, name):
    pages, payload = sample_letter
    dpi, options, quality = DEGRADED[name]
    for number, page in enumerate(pages[dpi], start=1):
        image = scan(page, stamp=number == 2, seed=number, **options)
        if quality:
            image = Image.open(io.BytesIO(jpeg(image, quality)))
        assert qr.read_payloads(image) == [qr.page_payload(payload, number)], (name, number)


def test_pages_without_a_letter_code():
    assert qr.read_payloads(scan(blank_page(), noise=40)) == []
    assert qr.read_payloads(page_with_other_code()) == []


def test_payloads_parse():
    assert qr.parse("QINGSHEN-GZS|2021-392-130681-001|2") == ("2021-392-130681-001", 2)
    assert qr.parse_page("QINGSHEN-GZS|2021-392-130681-001|2") == ("2021-392-130681-001", 2, 1)
    assert qr.parse_page("QINGSHEN-GZS|2021-392-130681-001|2|2") == ("2021-392-130681-001", 2, 2)
    for bad in ("https://example.invalid/", "QINGSHEN-GZS|x", "QINGSHEN-GZS|x|y", "QINGSHEN-GZS|x|1|0",
                "QINGSHEN-GZS||1", "OTHER|x|1"):
        assert qr.parse_page(bad) is None, bad


# --- a county's upload, through the job -------------------------------------------------------


def test_a_stack_scanned_into_one_pdf(county):
    """Three letters, two pages each, fed through a scanner into one PDF: every page is
    matched, and each letter's two pages become its stamped copy, in page order."""
    a, b, c = county.numbers
    looks = [{"angle": 1.5}, {"angle": -2, "grey": True, "colour": True}, {"noise": 40}, {"blur": 0.8, "grey": True},
             {"angle": -1, "dust": True}, {"turn": 180, "angle": 0.5}]
    images = []
    for number in (a, b, c):
        for page_no, page in enumerate(county.pages(number), start=1):
            images.append(scan(page, stamp=page_no == 2, seed=len(images), **looks[len(images)]))
    pages, report = county.upload(("盖章告知书扫描.pdf", scanned_pdf(images)))
    assert outcomes(pages) == [(Outcome.MATCHED, n) for n in (a, a, b, b, c, c)]
    assert report.startswith("共 6 页，匹配 6 页，未匹配 0 页。")
    for number in (a, b, c):
        letter = county.letter(number)
        assert letter.has_current_stamped_copy and letter.stamped_via == NoticeLetter.StampedVia.SCAN
        assert letter.stamped_copy.pages == 2
        payload = qr_payload(number, letter.revision)
        assert stamped_payloads(letter) == [[payload], [f"{payload}|2"]]


def test_many_images_in_any_order_and_orientation(county):
    """One image a page, in whatever order and orientation they came: each letter's pages are
    put together in page order."""
    a, b, _ = county.numbers
    a1, a2 = county.pages(a)
    b1, b2 = county.pages(b)
    files = [
        ("IMG_0001.jpg", jpeg(scan(a2, stamp=True, turn=180, seed=1), 50)),
        ("IMG_0002.png", png(scan(b1, turn=90, angle=-1, seed=2))),
        ("IMG_0003.jpg", jpeg(scan(a1, angle=2, grey=True, seed=3), 45)),
        ("IMG_0004.jpg", jpeg(scan(b2, stamp=True, turn=270, noise=30, seed=4), 60)),
    ]
    pages, report = county.upload(*files)
    assert outcomes(pages) == [(Outcome.MATCHED, a), (Outcome.MATCHED, b), (Outcome.MATCHED, a),
                               (Outcome.MATCHED, b)]
    assert [page.source_name for page in pages] == [name for name, _ in files]
    for number in (a, b):
        letter = county.letter(number)
        assert letter.has_current_stamped_copy
        payload = qr_payload(number, letter.revision)
        assert stamped_payloads(letter) == [[payload], [f"{payload}|2"]]
    assert county.letter(county.numbers[2]).stamped_copy_id is None


def test_what_cannot_be_matched_is_reported(county):
    """One scan mixing everything: a letter regenerated after it was printed (its old print is
    stale, the new one counts), a blank page, a page with someone else's QR code, a letter this
    county does not have, and a letter scanned twice."""
    a, b, c = county.numbers
    old_a = county.pages(a)
    regenerated, new_pdf, _ = notices.prepare_letter(county.user, county.task, county.letter(a).member)
    new_a = render(new_pdf, 150)
    assert regenerated.revision == 2
    foreign_number = "2021-T1-130606-001"  # 莲池区's numbering: not one of 涿州's letters
    b1, b2 = county.pages(b)
    c1, c2 = county.pages(c)
    sequence = [
        (old_a[0], Outcome.STALE, None), (old_a[1], Outcome.STALE, None),
        (new_a[0], Outcome.MATCHED, a), (new_a[1], Outcome.MATCHED, a),
        (blank_page(), Outcome.NO_CODE, None),
        (b1, Outcome.MATCHED, b), (b2, Outcome.MATCHED, b),
        (page_with_other_code(), Outcome.NO_CODE, None),
        (page_with_code(qr_payload(foreign_number, 1)), Outcome.UNKNOWN, None),
        (c1, Outcome.MATCHED, c), (c2, Outcome.MATCHED, c),
        (b1, Outcome.DUPLICATE, None), (b2, Outcome.DUPLICATE, None),
    ]
    # Lightly skewed grey scans: the harder cases are read in the tests above.
    images = [scan(image, stamp=i % 2 == 1, angle=(-1) ** i * 1.5, seed=i) for i, (image, _, _) in enumerate(sequence)]
    pages, report = county.upload(("第二次扫描.pdf", scanned_pdf(images)))
    assert outcomes(pages) == [(outcome, number) for _, outcome, number in sequence]
    assert pages[0].payload == qr_payload(a, 1) and pages[1].payload == qr_payload(a, 1) + "|2"
    assert pages[8].payload == qr_payload(foreign_number, 1)
    assert pages[4].payload == "" and pages[7].payload == ""
    assert report.startswith("共 13 页，匹配 6 页，未匹配 7 页。")
    for index, (_, outcome, _) in enumerate(sequence, start=1):
        assert f"第 {index} 页（第二次扫描.pdf 第 {index} 页）：{Outcome(outcome).label}" in report
    letter_a = county.letter(a)
    assert letter_a.revision == 2 and letter_a.has_current_stamped_copy
    assert stamped_payloads(letter_a) == [[qr_payload(a, 2)], [qr_payload(a, 2) + "|2"]]
    # The duplicate did not replace the first copy of b.
    assert stamped_payloads(county.letter(b))[0] == [qr_payload(b, 1)]
    # Every page is kept, one file each, for manual assignment of the unmatched ones.
    assert all(page.image.pages == 1 and page.image.mime == "application/pdf" for page in pages)


def test_a_letter_missing_a_page_is_matched_with_what_was_found(county):
    """Only the first page of a letter came through (a double feed): the page is matched and
    filed; the county sees a one-page stamped copy on the letter and can upload it again."""
    a = county.numbers[0]
    pages, _ = county.upload(("单页.jpg", jpeg(scan(county.pages(a)[0], angle=-2, seed=9))))
    assert outcomes(pages) == [(Outcome.MATCHED, a)]
    letter = county.letter(a)
    assert letter.has_current_stamped_copy and letter.stamped_copy.mime == "image/jpeg"
