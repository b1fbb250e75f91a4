"""Shared pieces of the notice tests (no tests here): a campaign world whose notice has reached
涿州市 with three enterprises, letters printed to images as a scanner would, and page helpers."""

import html
import io
import re

import pypdfium2
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import CampaignWorld, make_enterprise
from qingshen.campaigns import services as campaigns
from qingshen.core.roles import Role
from qingshen.industries.models import Industry
from qingshen.notices import services

EXTRA = (("涿州扩展饮料有限公司", "1523"), ("涿州扩展电镀厂", "3360"))


def notified_world(extra=True):
    """CampaignWorld("verified") plus two more 涿州 enterprises named by the campaign; the
    province has issued the notice and 保定市 has dispatched it to 涿州市 and 莲池区."""
    world = CampaignWorld("verified")
    province = world.user(Role.PROVINCE)
    if extra:
        for name, code in EXTRA:
            enterprise = make_enterprise(name, "130681", industry=Industry.objects.get(code=code), double_exceed=True)
            world.members[name] = campaigns.add_member(province, world.campaign, enterprise,
                                                       reasons=["double_exceed"], handling_level="city")
    services.issue(province, world.campaign)
    services.dispatch(world.user(Role.CITY), world.notice_task("130600"), attested=True)
    world.county = world.user(Role.COUNTY)
    world.task = world.notice_task("130681")
    return world


def county_members(world):
    return list(world.task.members().select_related("enterprise").order_by("seq", "pk"))


def text_of(response) -> str:
    page = response.content.decode()
    page = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    page = re.sub(r"</?(strong|span|a|em|b)\b[^>]*>", "", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def pdf_upload(content: bytes, name="盖章件.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def page_images(pdf_bytes: bytes, scale=150 / 72) -> list[Image.Image]:
    """Each page of a PDF as a printed-and-scanned image (150 dpi, greyscale)."""
    document = pypdfium2.PdfDocument(pdf_bytes)
    try:
        return [document[i].render(scale=scale).to_pil().convert("L") for i in range(len(document))]
    finally:
        document.close()


def blank_page() -> Image.Image:
    return Image.new("L", (1240, 1754), 255)


def scan_pdf(images, name="扫描件.pdf"):
    """A multi-page scan, as a scanner makes it: one image per page."""
    buffer = io.BytesIO()
    first, *rest = [image.convert("RGB") for image in images]
    first.save(buffer, format="PDF", save_all=True, append_images=rest, resolution=150)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def scan_png(image, name="扫描件.png"):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def exe_named_pdf(name="盖章件.pdf"):
    """A Windows executable renamed .pdf (an MZ header and a PE stub)."""
    content = b"MZ" + b"\x90\x00" * 30 + b"\x40\x00\x00\x00" + b"\x00" * 24 + b"PE\x00\x00" + b"\x00" * 200
    return SimpleUploadedFile(name, content, content_type="application/pdf")
