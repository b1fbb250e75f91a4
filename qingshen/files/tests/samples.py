"""Real test files, made here byte by byte (no mocks): PDF (pypdf), JPEG with EXIF and PNG
(Pillow), DOCX (a zip with the minimal Office Open XML parts), XLSX (openpyxl), and DOC/XLS
as OLE compound files holding a `WordDocument` / `Workbook` stream. Shared by the files and
evidence tests; every name and content here is made up for tests."""

import io
import struct
import zipfile

from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter

# The start of a Windows executable (MZ header + PE signature offset), as a renamed .exe looks.
EXE = (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00"
       + b"\x00" * 64 + b"PE\x00\x00" + b"\x00" * 200)


def pdf_bytes(pages=1, *, password=None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def jpeg_bytes(size=(640, 480), color=(30, 120, 200), *, taken=None, taken_plain=None, orientation=None,
               offset=None) -> bytes:
    """A JPEG; `taken` → EXIF DateTimeOriginal, `taken_plain` → IFD0 DateTime ("YYYY:MM:DD HH:MM:SS"),
    `orientation` → EXIF Orientation (6 = rotate 90° clockwise to view), `offset` → OffsetTimeOriginal."""
    image = Image.new("RGB", size, color)
    # A marker in the top-left corner, to see where it ends up after the orientation is applied.
    image.paste((255, 0, 0), (0, 0, size[0] // 4, size[1] // 4))
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if taken_plain:
        exif[0x0132] = taken_plain
    if taken or offset:
        ifd = exif.get_ifd(0x8769)
        if taken:
            ifd[0x9003] = taken
        if offset:
            ifd[0x9011] = offset
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes(), quality=90)
    return buffer.getvalue()


def png_bytes(size=(120, 80), mode="RGBA") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (10, 200, 10, 128) if mode == "RGBA" else (10, 200, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
_DOCUMENT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"""


def docx_bytes(text="测试用清洁生产审核报告（虚构）") -> bytes:
    """A minimal but real Word document (opens in Word and LibreOffice)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", _DOCUMENT.format(text=text))
    return buffer.getvalue()


def xlsx_bytes(value="测试用监测数据（虚构）") -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = value
    workbook.active["B1"] = 42
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pptx_like_bytes() -> bytes:
    """An Office Open XML package of the wrong kind (a presentation)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.replace("word/document", "ppt/presentation"))
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("ppt/presentation.xml", "<p:presentation xmlns:p='urn:test'/>")
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not an office file")
    return buffer.getvalue()


# --- OLE compound files ([MS-CFB], version 3, 512-byte sectors) ------------------------------

FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def _dir_entry(name, kind, *, child=0xFFFFFFFF, right=0xFFFFFFFF, start=END, size=0) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le") if name else b""
    return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", 0xFFFFFFFF, right, child) + b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16
            + struct.pack("<IQ", start, size))


def ole_bytes(*streams: str, stream_size=4096) -> bytes:
    """A compound file holding the named streams (each `stream_size` bytes in regular sectors,
    starting with a Word FIB / BIFF8 BOF record so it looks like the real thing)."""
    sectors_per_stream = stream_size // 512
    fat = [FATSECT, END]
    data = b""
    entries = [_dir_entry("Root Entry", 5, child=1 if streams else 0xFFFFFFFF)]
    for index, name in enumerate(streams):
        start = len(fat)
        fat += [start + i + 1 for i in range(sectors_per_stream - 1)] + [END]
        head = b"\xec\xa5\xc1\x00" if name == "WordDocument" else b"\x09\x08\x10\x00\x00\x06\x05\x00"
        data += head.ljust(stream_size, b"\x00")
        right = index + 2 if index + 1 < len(streams) else 0xFFFFFFFF
        entries.append(_dir_entry(name, 2, right=right, start=start, size=stream_size))
    directory = b"".join(entries).ljust(512, b"\x00")
    assert len(fat) <= 128
    fat_sector = struct.pack("<128I", *(fat + [FREE] * (128 - len(fat))))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
              + struct.pack("<109I", 0, *([FREE] * 108)))
    assert len(header) == 512
    return header + fat_sector + directory + data


def doc_bytes() -> bytes:
    return ole_bytes("WordDocument", "1Table")


def xls_bytes() -> bytes:
    return ole_bytes("Workbook")


def encrypted_office_bytes() -> bytes:
    """What Office writes for a password-protected DOCX/XLSX: an OLE file with EncryptedPackage."""
    return ole_bytes("EncryptionInfo", "EncryptedPackage")
