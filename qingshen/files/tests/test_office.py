"""Evidence files: Word and Excel judged by content like PDFs and images, per-kind size limits."""

import pytest
from django.test import override_settings

from qingshen.files.tests import samples
from qingshen.files.validation import EVIDENCE, KIND_LIMITS, MB, STAMPED_COPY, FileRefused, evidence_limits, inspect

ALLOWED = "只能上传 PDF、JPG、PNG、DOCX、XLSX、DOC、XLS 文件。"


def check(name, content, **kwargs):
    return inspect(name, content, EVIDENCE, max_bytes=50 * MB, **kwargs)


def refused(name, content, **kwargs) -> str:
    with pytest.raises(FileRefused) as caught:
        check(name, content, **kwargs)
    return caught.value.messages[0]


@pytest.mark.parametrize("name,content,kind,mime", [
    ("审核报告.docx", samples.docx_bytes(), "docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("监测数据.xlsx", samples.xlsx_bytes(), "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("旧版报告.doc", samples.doc_bytes(), "doc", "application/msword"),
    ("旧版台账.xls", samples.xls_bytes(), "xls", "application/vnd.ms-excel"),
    ("扫描件.pdf", samples.pdf_bytes(2), "pdf", "application/pdf"),
    ("现场照片.jpg", samples.jpeg_bytes(taken="2022:01:15 10:30:00", orientation=6), "jpeg", "image/jpeg"),
    ("流程图.png", samples.png_bytes(), "png", "image/png"),
])
def test_each_evidence_kind_is_recognised_by_content(name, content, kind, mime):
    found = check(name, content)
    assert (found.kind, found.mime) == (kind, mime)


def test_the_name_does_not_decide_the_kind():
    # A spreadsheet named .docx is a spreadsheet; a Word file named .xls is Word.
    assert check("报告.docx", samples.xlsx_bytes()).kind == "xlsx"
    assert check("台账.xls", samples.doc_bytes()).kind == "doc"
    assert check("台账.doc", samples.xls_bytes()).extension == "xls"


def test_office_files_are_not_accepted_where_only_scans_are():
    with pytest.raises(FileRefused) as caught:
        inspect("报告.docx", samples.docx_bytes(), STAMPED_COPY)
    assert caught.value.messages == ["文件“报告.docx”实际是 DOCX 文件，只能上传 PDF、JPG、PNG 文件。"]


@pytest.mark.parametrize("name,content,message", [
    ("空文件.pdf", b"", "文件“空文件.pdf”是空的。"),
    ("报告.pdf", samples.EXE, f"文件“报告.pdf”实际是 EXE 文件，{ALLOWED}"),
    ("演示.docx", samples.pptx_like_bytes(), f"文件“演示.docx”实际是 PPTX 演示文稿，{ALLOWED}"),
    ("资料.docx", samples.zip_bytes(), f"文件“资料.docx”实际是 ZIP 压缩文件，{ALLOWED}"),
    ("资料.txt", "纯文本，不是文档".encode(), f"文件“资料.txt”无法识别其格式，{ALLOWED}"),
    ("加密.docx", samples.encrypted_office_bytes(), "文件“加密.docx”是加密的 Office 文档，请取消密码后再上传。"),
    ("加密.pdf", samples.pdf_bytes(password="secret"), "文件“加密.pdf”是加密的 PDF，请上传未加密的文件。"),
    ("截断.docx", samples.docx_bytes()[:-40], "文件“截断.docx”已损坏，无法作为 DOCX 文档打开。"),
    ("截断.xlsx", samples.xlsx_bytes()[:-30], "文件“截断.xlsx”已损坏，无法作为 XLSX 文档打开。"),
    ("截断.doc", samples.doc_bytes()[:700], "文件“截断.doc”已损坏，无法作为 Office 文档打开。"),
    ("演示.ppt", samples.ole_bytes("PowerPoint Document"), f"文件“演示.ppt”实际是 PPT 演示文稿，{ALLOWED}"),
])
def test_refusals_say_what_the_file_really_is(name, content, message):
    assert refused(name, content) == message


def test_an_image_that_does_not_decode_is_refused():
    whole = samples.jpeg_bytes()
    # A JPEG start of image followed by garbage, and a photo cut off half-way.
    assert refused("照片.jpg", whole[:20] + bytes(range(256)) * 8).endswith("已损坏，无法作为图片打开。")
    assert refused("照片.jpg", whole[: len(whole) // 2]) == "文件“照片.jpg”已损坏，无法作为图片打开。"


def test_a_docx_whose_parts_fail_their_checksum_is_refused():
    content = bytearray(samples.docx_bytes())
    # Flip bytes inside the compressed document part: the zip still opens, the CRC fails.
    start = content.find(b"word/document.xml") + len("word/document.xml") + 5
    content[start:start + 4] = bytes(b ^ 0xFF for b in content[start:start + 4])
    assert "已损坏，无法作为 DOCX 文档打开" in refused("报告.docx", bytes(content))


def test_an_xlsx_whose_workbook_part_is_not_a_workbook_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(samples.xlsx_bytes())) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, b"<not-a-workbook/>" if item.filename == "xl/workbook.xml" else data)
    assert refused("数据.xlsx", buffer.getvalue()) == "文件“数据.xlsx”已损坏，无法作为 XLSX 文档打开。"


def test_per_kind_limits_and_the_site_limit():
    photo = samples.jpeg_bytes()
    limits = {"jpeg": len(photo) - 1}
    assert "JPG 文件不能超过" in refused("照片.jpg", photo, limits=limits)
    assert check("报告.pdf", samples.pdf_bytes(), limits=limits).kind == "pdf"  # other kinds unaffected
    assert evidence_limits()["jpeg"] == 20 * MB and evidence_limits()["pdf"] == 50 * MB
    assert evidence_limits()["docx"] == KIND_LIMITS["docx"] == 30 * MB
    with override_settings(QINGSHEN_MAX_UPLOAD_BYTES=10 * MB):
        assert set(evidence_limits().values()) == {10 * MB}


def test_progressive_photos_and_camera_trailers_pass_the_completeness_check():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (5, 90, 160)).save(buffer, format="JPEG", progressive=True)
    assert check("渐进式.jpg", buffer.getvalue()).kind == "jpeg"
    # Some phones append their own data after the end-of-image marker.
    assert check("带尾部数据.jpg", samples.jpeg_bytes() + b"TRAILER-DATA" * 10).kind == "jpeg"
