"""What an uploaded file really is, from its content — never from its name.

`inspect(name, content, allowed)` sniffs the type from the bytes, then checks the structure:

- PDF: must parse and have pages (pypdf), and not be encrypted;
- JPG/PNG: must decode (Pillow; a JPEG is decoded at 1/8 scale, to spare the memory of a
  full decode of a large photo, and its segments must run to the end-of-image marker, so a
  truncated photo is caught — see `jpeg_complete`);
- DOCX/XLSX (Office Open XML, a zip): must be a zip whose `[Content_Types].xml` and
  `word/document.xml` / `xl/workbook.xml` exist and whose members pass their CRC check; an
  XLSX must also open in openpyxl. A zip that would unpack to more than 200 MB is refused;
- DOC/XLS (Office 97–2003, an OLE compound file): the compound file's directory is read (a
  small reader below, no extra dependency) and must hold a `WordDocument` or a `Workbook`/`Book`
  stream. An encrypted DOCX/XLSX is an OLE file holding `EncryptedPackage`, refused as such.

An executable renamed .pdf, a truncated PDF, an image that will not open or a broken Office
file are refused with a Chinese message saying what the file really is and what is allowed.
Sizes: one limit for the whole file (`max_bytes`) and optional per-kind limits (`limits`);
`evidence_limits()` gives the evidence app's, never above the site's upload limit.
"""

import io
import struct
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
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
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "DOCX"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "XLSX"),
    "doc": ("application/msword", "doc", "DOC"),
    "xls": ("application/vnd.ms-excel", "xls", "XLS"),
}
STAMPED_COPY = ("pdf", "jpeg", "png")
#: 佐证材料: scans, photos and the Word/Excel documents enterprises keep their records in.
EVIDENCE = ("pdf", "jpeg", "png", "docx", "xlsx", "doc", "xls")
OFFICE = ("docx", "xlsx", "doc", "xls")

#: Largest file per kind for evidence (capped by the site's QINGSHEN_MAX_UPLOAD_BYTES).
KIND_LIMITS = {"pdf": 50 * MB, "jpeg": 20 * MB, "png": 20 * MB,
               "docx": 30 * MB, "xlsx": 30 * MB, "doc": 30 * MB, "xls": 30 * MB}

#: A zip that would unpack to more than this is refused (a "zip bomb").
MAX_UNPACKED = 200 * MB

_SNIFFED = {"application/pdf": "pdf", "image/jpeg": "jpeg", "image/png": "png"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_OOXML_PARTS = (b"[Content_Types].xml", b"_rels/.rels", b"docProps/", b"word/", b"xl/")


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


def evidence_limits() -> dict[str, int]:
    cap = settings.QINGSHEN_MAX_UPLOAD_BYTES
    return {kind: min(limit, cap) for kind, limit in KIND_LIMITS.items()}


def inspect(name: str, content: bytes, allowed=STAMPED_COPY, max_bytes=20 * MB, limits=None) -> Inspected:
    if not content:
        raise FileRefused(f"文件“{name}”是空的。")
    if len(content) > max_bytes:
        raise FileRefused(f"文件“{name}”超过 {max_bytes // MB} MB，请压缩或拆分后上传。")
    kind, what = _sniff(name, content, allowed)
    if kind is not None and kind not in allowed:
        what = f"实际是 {KINDS[kind][2]} 文件"
    if kind not in allowed:
        raise FileRefused(f"文件“{name}”{what}，只能上传 {describe(allowed)} 文件。")
    limit = (limits or {}).get(kind)
    if limit is not None and len(content) > limit:
        raise FileRefused(f"文件“{name}”超过 {limit // MB} MB（{KINDS[kind][2]} 文件不能超过 {limit // MB} MB），"
                          "请压缩或拆分后上传。")
    pages = _check_structure(name, kind, content)
    mime, extension, _ = KINDS[kind]
    return Inspected(kind=kind, mime=mime, extension=extension, pages=pages)


def _sniff(name, content, allowed) -> tuple[str | None, str]:
    """(kind, what it really is in words) — kind None when it is none of KINDS."""
    if content.startswith(_ZIP_MAGIC):
        return _sniff_zip(name, content, allowed)
    if content.startswith(_OLE_MAGIC):
        return _sniff_ole(name, content, allowed)
    guess = filetype.guess(content)
    kind = _SNIFFED.get(guess.mime if guess else "")
    if kind is not None:
        return kind, ""
    return None, (f"实际是 {guess.extension.upper()} 文件" if guess else "无法识别其格式")


def _sniff_zip(name, content, allowed):
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        # The local headers (plain text) still name the parts of a truncated Office file.
        office = [kind for kind in ("docx", "xlsx") if kind in allowed]
        if office and any(part in content for part in _OOXML_PARTS):
            label = "DOCX " if b"word/" in content else "XLSX " if b"xl/" in content else "Office "
            raise FileRefused(f"文件“{name}”已损坏，无法作为 {label}文档打开。") from exc
        return None, "实际是已损坏的压缩文件"
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return "docx", ""
        if "xl/workbook.xml" in names:
            return "xlsx", ""
        if "ppt/presentation.xml" in names:
            return None, "实际是 PPTX 演示文稿"
    return None, "实际是 ZIP 压缩文件"


def _sniff_ole(name, content, allowed):
    try:
        streams = ole_stream_names(content)
    except ValueError as exc:
        if any(kind in allowed for kind in ("doc", "xls")):
            raise FileRefused(f"文件“{name}”已损坏，无法作为 Office 文档打开。") from exc
        return None, "实际是已损坏的 Office 文件"
    if "EncryptedPackage" in streams:
        raise FileRefused(f"文件“{name}”是加密的 Office 文档，请取消密码后再上传。")
    if "WordDocument" in streams:
        return "doc", ""
    if "Workbook" in streams or "Book" in streams:
        return "xls", ""
    if "PowerPoint Document" in streams:
        return None, "实际是 PPT 演示文稿"
    return None, "实际是其他 Office 复合文档"


def ole_stream_names(content: bytes) -> set[str]:
    """Names of the storages and streams in an OLE compound file ([MS-CFB]); ValueError when
    the structure is broken. Only the header, the FAT and the directory chain are read."""
    if len(content) < 512 or not content.startswith(_OLE_MAGIC):
        raise ValueError("not a compound file")
    major, byte_order, shift = struct.unpack_from("<HHH", content, 0x1A)
    if byte_order != 0xFFFE or (major, shift) not in ((3, 9), (4, 12)):
        raise ValueError("bad header")
    size = 1 << shift
    count = (len(content) - size) // size + (1 if (len(content) - size) % size else 0)

    def sector(number):
        if not 0 <= number < count:
            raise ValueError("sector out of range")
        start = (number + 1) * size
        return content[start:start + size].ljust(size, b"\x00")

    fat_count, first_dir = struct.unpack_from("<II", content, 0x2C)
    first_difat, difat_count = struct.unpack_from("<II", content, 0x44)
    fat_sectors = [n for n in struct.unpack_from("<109I", content, 0x4C) if n < 0xFFFFFFFA]
    next_difat, seen = first_difat, 0
    while next_difat < 0xFFFFFFFA and seen <= difat_count:
        entries = struct.unpack(f"<{size // 4}I", sector(next_difat))
        fat_sectors += [n for n in entries[:-1] if n < 0xFFFFFFFA]
        next_difat, seen = entries[-1], seen + 1
    fat_sectors = fat_sectors[:fat_count]
    fat = []
    for number in fat_sectors:
        fat.extend(struct.unpack(f"<{size // 4}I", sector(number)))
    names, current, steps = set(), first_dir, 0
    while current != 0xFFFFFFFE:
        if current >= len(fat) or steps > count:
            raise ValueError("broken directory chain")
        data = sector(current)
        for offset in range(0, size, 128):
            length, kind = struct.unpack_from("<HB", data, offset + 0x40)
            if kind in (1, 2) and 2 <= length <= 64:
                names.add(data[offset:offset + length - 2].decode("utf-16-le", "replace"))
            elif kind == 5:
                names.add("Root Entry")
        current, steps = fat[current], steps + 1
    if "Root Entry" not in names:
        raise ValueError("no root entry")
    return names


def _check_structure(name, kind, content) -> int:
    if kind == "pdf":
        return _check_pdf(name, content)
    if kind in ("jpeg", "png"):
        return _check_image(name, kind, content)
    if kind in ("docx", "xlsx"):
        return _check_ooxml(name, kind, content)
    return 1  # doc/xls: the compound file's directory was read while sniffing


def _check_pdf(name, content) -> int:
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


def _check_image(name, kind, content) -> int:
    # Pillow decodes a truncated JPEG silently once WeasyPrint is imported (it sets
    # ImageFile.LOAD_TRUNCATED_IMAGES for the whole process), so the segments are walked here.
    if kind == "jpeg" and not jpeg_complete(content):
        raise FileRefused(f"文件“{name}”已损坏，无法作为图片打开。")
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
        with Image.open(io.BytesIO(content)) as image:
            if kind == "jpeg":
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
    except Image.DecompressionBombError as exc:
        raise FileRefused(f"文件“{name}”的图片尺寸过大，请缩小后上传。") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise FileRefused(f"文件“{name}”已损坏，无法作为图片打开。") from exc
    return 1


def jpeg_complete(content: bytes) -> bool:
    """Whether a JPEG's segments and scans run through to its end-of-image marker (data after
    it, as some cameras append, is allowed)."""
    size, i = len(content), 2
    while i + 2 <= size:
        if content[i] != 0xFF:
            return False
        marker = content[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xD9:
            return True
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            i += 2
            continue
        if i + 4 > size:
            return False
        length = int.from_bytes(content[i + 2:i + 4], "big")
        if length < 2:
            return False
        i += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next marker
            while True:
                j = content.find(b"\xff", i)
                if j < 0 or j + 1 >= size:
                    return False
                following = content[j + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    i = j + 2
                elif following == 0xFF:
                    i = j + 1
                else:
                    i = j
                    break
    return False


def _check_ooxml(name, kind, content) -> int:
    label = KINDS[kind][2]
    broken = f"文件“{name}”已损坏，无法作为 {label} 文档打开。"
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise FileRefused(f"文件“{name}”解压后过大，不能作为 {label} 文档接收。")
            if archive.testzip() is not None:
                raise FileRefused(broken)
            main = archive.read("word/document.xml" if kind == "docx" else "xl/workbook.xml")
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError) as exc:
        raise FileRefused(broken) from exc
    if b"<" not in main[:512]:
        raise FileRefused(broken)
    if kind == "xlsx":
        _open_workbook(content, broken)
    return 1


def _open_workbook(content, broken):
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        try:
            if not workbook.sheetnames:  # a real workbook has at least one sheet
                raise ValueError("no sheets")
        finally:
            workbook.close()
    except Exception as exc:  # openpyxl raises many kinds (KeyError, XML errors, …) on broken files
        raise FileRefused(broken) from exc
