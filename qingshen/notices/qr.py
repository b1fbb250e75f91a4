"""QR codes on notice letters: drawn with segno, read back from scans with zxing-cpp."""

import io

import segno
import zxingcpp

from qingshen.notices.models import QR_PREFIX


def svg(payload: str) -> str:
    """An inline SVG of the code (error correction M; quiet zone kept)."""
    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(buffer, kind="svg", scale=4, border=4, xmldecl=False,
                                                     svgns=True, nl=False)
    return buffer.getvalue().decode()


def read_payloads(image) -> list[str]:
    """Every Qingshen letter code found on a page image (a PIL image), in reading order."""
    found = []
    for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode, try_rotate=True,
                                         try_downscale=True):
        if result.valid and result.text.startswith(QR_PREFIX + "|"):
            found.append(result.text)
    return found


def parse(payload: str) -> tuple[str, int] | None:
    """(letter number, revision) from a payload, or None if it is not one of ours."""
    parts = payload.split("|")
    if len(parts) != 3 or parts[0] != QR_PREFIX or not parts[2].isdigit():
        return None
    return parts[1], int(parts[2])
