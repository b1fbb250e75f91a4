"""QR codes on notice letters: drawn with segno, read back from scans with zxing-cpp.

A letter's first page says `QINGSHEN-GZS|<number>|<revision>` (`models.qr_payload`); its
following pages add the page: `QINGSHEN-GZS|<number>|<revision>|2`.
"""

import base64
import io

import segno
import zxingcpp
from PIL import Image, ImageFilter

from qingshen.notices.models import QR_PREFIX

#: Module size on paper: 0.8 mm is 4.7 pixels at 150 dpi and 6.3 at 200 dpi, enough for a
#: blurred, noisy, JPEG-compressed or slightly rotated scan. A letter's payload (up to 42
#: bytes) makes a version-3 code at level M: 29 modules, 23 mm.
MODULE_MM = 0.8
#: The standard asks for 4 modules of white around the code; the code stands alone in the
#: page's (white) top margin, so 2 are drawn and the margin gives the rest.
QUIET_ZONE = 2


def page_payload(payload: str, page: int) -> str:
    """The payload printed on page `page` of the letter whose first page says `payload`."""
    return payload if page == 1 else f"{payload}|{page}"


def svg(payload: str) -> bytes:
    """The code as SVG, sized in millimetres (error correction M or better)."""
    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(
        buffer, kind="svg", scale=MODULE_MM, unit="mm", border=QUIET_ZONE, xmldecl=False, svgns=True, nl=False)
    return buffer.getvalue()


def data_uri(payload: str) -> str:
    """The code as a data: URI, for CSS `content: url(...)` in a page margin box."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg(payload)).decode()


def _read(image) -> tuple[list[str], bool]:
    """(our codes on the image, whether any QR code at all was read)."""
    results = [r for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode, try_rotate=True,
                                                 try_downscale=True) if r.valid]
    return [r.text for r in results if r.text.startswith(QR_PREFIX + "|")], bool(results)


def read_payloads(image) -> list[str]:
    """Every Qingshen letter code found on a page image (a PIL image), in reading order.

    zxing-cpp reads a clean page at once, in any of the four orientations and a few degrees
    askew. A poor scan — speckles, heavy noise, JPEG blocks, a grey cast — gets more tries:
    the page in grey, lightly smoothed (a 3 × 3 box blur evens out noise that breaks up the
    modules); halved (a scan above 240 dpi); doubled and smoothed (up to 200 dpi, a scan also
    blurred and noisy: the smoothing then spans less of a module). A page with too little
    ink to hold a code (the blank back of a sheet scanned on both sides), or whose code was
    read but is not a letter's, gets no more tries.
    """
    found, read_any = _read(image)
    if found or read_any:
        return found
    grey = image.convert("L")
    if _ink(grey) < MIN_INK:
        return []
    for attempt in _attempts(grey):
        found, read_any = _read(attempt)
        if found or read_any:
            return found
    return []


#: A code covers (23 mm)² of the page's 210 × 297 mm, about half of it dark: 0.4 % of the
#: page. A page with less than half that much ink cannot carry one.
MIN_INK = 0.002


def _ink(grey) -> float:
    """The share of dark pixels in a page."""
    histogram = grey.histogram()
    return sum(histogram[:128]) / (grey.width * grey.height)


def _attempts(grey):
    yield grey.filter(ImageFilter.BoxBlur(1))
    if min(grey.size) >= 2000:
        yield grey.reduce(2)
    if max(grey.size) < 2500:
        yield grey.resize((grey.width * 2, grey.height * 2), Image.Resampling.BICUBIC).filter(ImageFilter.BoxBlur(2))


def parse_page(payload: str) -> tuple[str, int, int] | None:
    """(letter number, revision, page) from a payload, or None if it is not one of ours."""
    parts = payload.split("|")
    if len(parts) not in (3, 4) or parts[0] != QR_PREFIX or not parts[1] or not parts[2].isdigit():
        return None
    page = parts[3] if len(parts) == 4 else "1"
    if not page.isdigit() or int(page) < 1:
        return None
    return parts[1], int(parts[2]), int(page)


def parse(payload: str) -> tuple[str, int] | None:
    """(letter number, revision) from a payload, or None if it is not one of ours."""
    parsed = parse_page(payload)
    return parsed[:2] if parsed else None
