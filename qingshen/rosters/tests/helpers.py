"""Reading the roster pages as a user would, and the files users upload."""

import html
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import blank_pdf  # noqa: F401  (re-exported for the tests)

#: Made-up codes for made-up enterprises; each has a valid GB 32100-2015 check digit.
FAKE_USCC_NEW = "91130681MA00000016"
FAKE_USCC_OTHER = "91130681MA00000029"


def page_text(response) -> str:
    return text_of(response.content.decode())


def text_of(content: str) -> str:
    """Visible text of HTML: tags removed, whitespace collapsed."""
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content))).strip()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def followed_messages(client, response) -> list[str]:
    """The messages a redirect leads to (the next page shows them)."""
    assert response.status_code == 302, response.status_code
    return messages_of(client.get(response["Location"]))


def form_errors(response, form="form") -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context[form].errors.items()}


def exe_named_pdf(name="盖章名单.pdf"):
    """A Windows executable renamed .pdf (MZ header and PE signature)."""
    content = b"MZ" + b"\x90\x00" * 30 + b"\x00" * 0x3C + b"PE\x00\x00" + b"\x00" * 512
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name="佐证材料.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
