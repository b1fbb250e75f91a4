"""Uploads are judged by their content, not their name."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image
from pypdf import PdfWriter

from conftest import blank_pdf
from qingshen.core.roles import Role
from qingshen.files.services import store
from qingshen.files.validation import MB, FileRefused, inspect

# The start of a Windows executable (MZ header + PE signature offset), as a renamed .exe looks.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00" + b"\x00" * 64 + b"PE\x00\x00" + b"\x00" * 200


def image_bytes(fmt):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def pdf_bytes(pages=2):
    return blank_pdf(pages=pages).read()


def test_real_files_pass_with_their_kind_and_pages():
    assert (inspect("a.pdf", pdf_bytes(3)).kind, inspect("a.pdf", pdf_bytes(3)).pages) == ("pdf", 3)
    assert inspect("scan.jpg", image_bytes("JPEG")).kind == "jpeg"
    assert inspect("scan.png", image_bytes("PNG")).mime == "image/png"


def test_the_name_does_not_matter():
    assert inspect("看起来是图片.png", pdf_bytes()).kind == "pdf"


def test_an_executable_renamed_pdf_is_refused():
    with pytest.raises(FileRefused) as caught:
        inspect("盖章版告知书.pdf", EXE)
    assert caught.value.messages == ["文件“盖章版告知书.pdf”实际是 EXE 文件，只能上传 PDF、JPG、PNG 文件。"]


@pytest.mark.parametrize("content,message", [
    (b"", "文件“x.pdf”是空的。"),
    (b"plain text, not a document", "文件“x.pdf”无法识别其格式，只能上传 PDF、JPG、PNG 文件。"),
    (b"%PDF-1.7\n1 0 obj <<>> endobj\n", "文件“x.pdf”已损坏，无法作为 PDF 打开。"),
])
def test_empty_unknown_and_broken_files_are_refused(content, message):
    with pytest.raises(FileRefused) as caught:
        inspect("x.pdf", content)
    assert caught.value.messages == [message]


def test_a_truncated_image_is_refused():
    broken = image_bytes("PNG")[:60]
    with pytest.raises(FileRefused, match="已损坏，无法作为图片打开"):
        inspect("scan.png", broken)


def test_an_encrypted_pdf_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(FileRefused, match="加密的 PDF"):
        inspect("locked.pdf", buffer.getvalue())


def test_size_limit_and_allowed_kinds():
    with pytest.raises(FileRefused, match="超过 1 MB"):
        inspect("big.png", image_bytes("PNG") + b"\x00" * MB, max_bytes=MB)
    with pytest.raises(FileRefused, match="只能上传 PDF 文件"):
        inspect("scan.png", image_bytes("PNG"), allowed=("pdf",))


@pytest.mark.django_db
def test_store_keeps_the_hash_the_type_and_the_uploader(world):
    content = pdf_bytes()
    stored = store(world.user(Role.COUNTY), "最终名单.pdf", content)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert (stored.mime, stored.size, stored.pages) == ("application/pdf", len(content), 2)
    assert stored.uploaded_by == world.user(Role.COUNTY)
    assert stored.open_content() == content
    assert stored.file.name.endswith(".pdf")


@pytest.mark.django_db
def test_store_refuses_before_writing_anything(world):
    from qingshen.files.models import StoredFile

    with pytest.raises(FileRefused):
        store(world.user(Role.COUNTY), "a.pdf", EXE)
    assert not StoredFile.objects.exists()


@pytest.mark.django_db
@override_settings(QINGSHEN_MAX_UPLOAD_BYTES=1 * MB)
def test_an_oversized_request_is_refused_before_it_is_read(world, client):
    client.force_login(world.user(Role.COUNTY))
    big = SimpleUploadedFile("huge.pdf", b"%PDF-" + b"0" * (2 * MB), content_type="application/pdf")
    response = client.post("/enterprises/import/", {"file": big})
    assert response.status_code == 413
    assert "上传的内容超过 1 MB，没有保存任何内容" in response.content.decode()
    big = SimpleUploadedFile("huge.pdf", b"%PDF-" + b"0" * (2 * MB), content_type="application/pdf")
    api = client.post("/api/enterprises/", {"file": big})
    assert api.status_code == 413 and "超过 1 MB" in api.json()["detail"]
