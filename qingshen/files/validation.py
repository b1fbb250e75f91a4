"""What an uploaded file really is, from its content — never from its name.

`inspect(name, content, allowed)` sniffs the type from the bytes (the filetype library),
then checks the structure: a PDF must parse and have pages (pypdf), an image must decode
(Pillow). An executable renamed .pdf, a truncated PDF or an image that will not open are
refused with a Chinese message.
"""

import io
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

MB = 1024 * 1024

#: kind → (MIME type, file extension, label users see)
KINDS = {
    "pdf": ("application/pdf", "pdf", "PDF"),
    "jpeg": ("image/jpeg", "jpg", "JPG"),
    "png": ("image/png", "png", "PNG"),
}
STAMPED_COPY = ("pdf", "jpeg", "png")


class FileRefused(ValidationError):
    """The file cannot be accepted; the message says why, in Chinese (a ValidationError, so
    forms and services show it like any other input error)."""


@dataclass(frozen=True)
class Inspected:
    kind: str
    mime: str
    extension: str
    pages: int


def describe(allowed) -> str:
    return "、".join(KINDS[kind][2] for kind in allowed)


def inspect(name: str, content: bytes, allowed=STAMPED_COPY, max_bytes=20 * MB) -> Inspected:
    if not content:
        raise FileRefused(f"文件“{name}”是空的。")
    if len(content) > max_bytes:
        raise FileRefused(f"文件“{name}”超过 {max_bytes // MB} MB，请压缩或拆分后上传。")
    guess = filetype.guess(content)
    kind = {"application/pdf": "pdf", "image/jpeg": "jpeg", "image/png": "png"}.get(guess.mime if guess else "")
    if kind not in allowed:
        what = f"实际是 {guess.extension.upper()} 文件" if guess else "无法识别其格式"
        raise FileRefused(f"文件“{name}”{what}，只能上传 {describe(allowed)} 文件。")
    pages = _check_structure(name, kind, content)
    mime, extension, _ = KINDS[kind]
    return Inspected(kind=kind, mime=mime, extension=extension, pages=pages)


def _check_structure(name, kind, content) -> int:
    if kind == "pdf":
        try:
            reader = PdfReader(io.BytesIO(content))
            if reader.is_encrypted:
                raise FileRefused(f"文件“{name}”是加密的 PDF，请上传未加密的文件。")
            pages = len(reader.pages)
        except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
            raise FileRefused(f"文件“{name}”已损坏，无法作为 PDF 打开。") from exc
        if pages == 0:
            raise FileRefused(f"文件“{name}”没有页面。")
        return pages
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise FileRefused(f"文件“{name}”已损坏，无法作为图片打开。") from exc
    return 1
