"""The notice letter as a printed document: A4 in GB/T 9704's manner, fonts embedded, the text
of the seed's template (附件3) with this enterprise's details, and a QR code a scan can read.

The letters are generated once for the module, through the services, in a transaction that
is rolled back at the end; the tests look at the bytes.
"""

import io
import re
import shutil
import subprocess
from datetime import date

import pypdfium2
import pytest
import zxingcpp
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from conftest import CampaignWorld
from qingshen.accounts.models import User
from qingshen.campaigns.models import MilestoneKind
from qingshen.core.roles import Role
from qingshen.notices import letters, qr
from qingshen.notices import services as notices
from qingshen.notices.models import qr_payload

# The module's letters are made in a module-scoped fixture; the marker makes pytest-django
# create the test database before it (without a test that asks for the database, it would not).
pytestmark = pytest.mark.django_db

MM = 72 / 25.4
A4 = (595.28, 841.89)
SEED_PASSWORD = "QyQjscUser.6"

#: The seed's template (附件3) as the letter must say it: the template's own words, with
#: {fields} where a letter fills something in. Only item 6 differs from the seed: the seed
#: gives a fixed initial password; a letter gives the account's one-time activation code (or
#: says the password is already set).
TEMPLATE = [
    "河北省强制性清洁生产审核事项告知书",
    "编号：{number}",
    "{enterprise}：",
    "{preamble}，现正式通知你公司开展强制性清洁生产审核工作，并做好以下工作：",
    "1.{disclosure}前，登陆河北省强制性清洁生产审核管理系统，填报相关内容；自行开展或委托咨询服务机构开展清洁生产审核。",
    "2.{disclosure}前，在当地主要媒体、企业官方网站或采取其他便于公众知晓的方式依法公布企业清洁生产审核的相关信息。",
    "3.{evaluation_application}前完成本轮清洁生产方案的制定，在系统内填报提交相关内容，并向所在地生态环境部门提出评估申请。"
    "{evaluation_done}前完成生态环境部门组织的评估工作。",
    "4.{acceptance_application}前完成清洁生产审核方案的实施，在系统内填报提交相关内容，并向所在地生态环保部门提出验收申请。"
    "{acceptance_done}前完成生态环境部门组织的审核验收。",
    "其他告知事项：",
    "1.企业开展强制性清洁生产审核期间，需按照管理系统相关要求提交审核过程资料、清洁生产审核报告、清洁生产审核验收报告等材料，"
    "并在管理系统中获取评估意见和验收意见等信息。",
    "2.对于列入强制性清洁生产审核名单的企业，未按照要求公布能源消耗或者重大污染物产生、排放情况的，"
    "由县级以上地方人民政府负责清洁生产综合协调的部门、环境保护部门按照职责分工责令公布，可以处十万元以下的罚款。",
    "3.对于列入强制性清洁生产审核名单的企业，不实施强制性清洁生产审核或者在清洁生产审核中弄虚作假的，"
    "或者实施强制性清洁生产审核的企业不报告或者不如实报告审核结果的，由县级以上生态环境主管部门按照职责分工责令限期改正；"
    "拒不改正的，处以五万元以上五十万元以下的罚款。",
    "4.企业委托的咨询服务机构不按照规定内容、程序进行清洁生产审核，弄虚作假、提供虚假审核报告的，由省生态环境厅责令其改正，"
    "并公布其名单。造成严重后果的，追究其法律责任。",
    "5.河北省生态环境厅将强化企业清洁生产审核成果应用，将实施强制性清洁生产审核企业的对标情况、审核结果和因停产未开展清洁生产的"
    "企业名单分别移交排污许可部门和生态环境执法部门，纳入排污许可证“环境管理事项”，同时作为环境执法重要依据。",
    "6.河北省强制性清洁生产审核管理系统网址：{login_url}；登录账户：{account}；{credentials}"
    "请妥善保管密码，保护账户安全，防止信息被窃取。",
    "特此告知。",
    "{department}",
    "{issued_on}",
]
WITH_CODE = "激活码：{code}，首次登陆务必在登录页点击“激活账号”，输入登录账户和激活码设置密码（激活码仅可使用一次）；"
ALREADY_SET = "该账户已设置密码，请使用已设置的密码登录；"
#: The province's dates; Baoding set an earlier date for the evaluation application.
PROVINCE_DATES = {"disclosure": "2021年10月30日", "evaluation_application": "2022年3月1日",
                  "evaluation_done": "2022年3月31日", "acceptance_application": "2022年6月1日",
                  "acceptance_done": "2022年6月30日"}
BAODING_DATES = {**PROVINCE_DATES, "evaluation_application": "2022年2月1日"}


class Letter:
    """What a test needs of one generated letter, kept after the rollback."""

    def __init__(self, letter, pdf, code, dates):
        self.pdf, self.code, self.dates = pdf, code, dates
        self.number, self.revision, self.payload = letter.number, letter.revision, letter.qr_payload
        self.enterprise = letter.member.enterprise.name
        self.account = letter.account.username
        self.department = letter.task.organization.name
        self.preamble = letter.member.campaign.letter_preamble

    def expected_text(self) -> str:
        number = self.number + (f"（第{self.revision}版）" if self.revision > 1 else "")
        credentials = WITH_CODE.format(code=self.code) if self.code else ALREADY_SET
        from django.conf import settings

        fields = {**self.dates, "number": number, "enterprise": self.enterprise, "preamble": self.preamble,
                  "login_url": settings.QINGSHEN_PUBLIC_URL, "account": self.account, "credentials": credentials,
                  "department": self.department, "issued_on": letters.chinese_date(timezone.localdate())}
        return "".join(part.format(**fields) for part in TEMPLATE)


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """Letters for a Baoding enterprise (涿州), a 石家庄 one (长安) and the 涿州 letter again
    after its account came into use (second revision, no activation code)."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = CampaignWorld("verified")
        notices.issue(world.user(Role.PROVINCE), world.campaign)
        notices.dispatch(world.user(Role.CITY), world.notice_task("130600"), attested=True)
        notices.dispatch(world.other_city_user, world.notice_task("130100"), attested=True)
        zhuozhou = Letter(*notices.prepare_letter(world.user(Role.COUNTY), world.notice_task("130681"),
                                                  world.member(world.e_zhuozhou)), BAODING_DATES)
        changan = Letter(*notices.prepare_letter(User.objects.get(username="130102"), world.notice_task("130102"),
                                                 world.member(world.e_changan)), PROVINCE_DATES)
        User.objects.filter(username=zhuozhou.account).update(last_login=timezone.now(), must_change_password=False)
        regenerated = Letter(*notices.prepare_letter(world.user(Role.COUNTY), world.notice_task("130681"),
                                                     world.member(world.e_zhuozhou)), BAODING_DATES)
        transaction.set_rollback(True)
    return {"zhuozhou": zhuozhou, "changan": changan, "regenerated": regenerated}


@pytest.fixture(params=["zhuozhou", "changan", "regenerated"])
def letter(request, generated) -> Letter:
    return generated[request.param]


def text_of(pdf: bytes) -> str:
    """The text as pdftotext reads it (poppler), or pypdf when poppler is missing."""
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                              check=True).stdout.decode()
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def squeezed(text: str) -> str:
    """Without white space and page numbers (— 1 —), for comparing with the template."""
    text = re.sub(r"—\s*\d+\s*—", "", text)
    return re.sub(r"\s+", "", text)


def chars(pdf: bytes):
    """(page index, character, left, bottom, right, top in pt, font size in pt) of every character."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            text = textpage.get_text_range()
            for i in range(textpage.count_chars()):
                box = textpage.get_charbox(i)
                # WeasyPrint draws in CSS pixels (0.75 pt) scaled to points; pdfium reports them.
                size = pypdfium2.raw.FPDFText_GetFontSize(textpage.raw, i) * 0.75
                yield index, text[i] if i < len(text) else "", *box, size
    finally:
        document.close()


# --- the page -------------------------------------------------------------------------------


def test_a4_two_pages(letter):
    pages = PdfReader(io.BytesIO(letter.pdf)).pages
    assert len(pages) == 2
    for page in pages:
        assert float(page.mediabox.width) == pytest.approx(A4[0], abs=1)
        assert float(page.mediabox.height) == pytest.approx(A4[1], abs=1)


def test_text_stays_in_the_gbt_9704_type_area(generated):
    """Margins 37 (top), 35 (bottom), 28 (left), 26 (right) mm; the page number below the
    type area, the title 22 pt, the body one size down from 三号 (14 pt, see letter.html)."""
    left, right = 28 * MM, A4[0] - 26 * MM
    top, bottom = A4[1] - 37 * MM, 35 * MM
    sizes = {}
    for page, char, x0, y0, x1, y1, size in chars(generated["changan"].pdf):
        if not char.strip():
            continue
        assert left - 1 <= x0 and x1 <= right + 1, (page, char)
        if y1 < bottom:  # the page number, in the bottom margin
            assert char in "—0123456789", (page, char)
            continue
        assert y1 <= top + 1, (page, char)
        sizes[round(size)] = sizes.get(round(size), 0) + 1
    assert 22 in sizes  # the title
    assert max(sizes, key=sizes.get) == 14  # the body


def _span(page_chars, text):
    """(left, bottom, right, top) of the last occurrence of `text` among a page's characters."""
    joined = "".join(c[1] for c in page_chars)
    start = joined.rindex(text)
    boxes = page_chars[start:start + len(text)]
    return (min(b[2] for b in boxes), min(b[3] for b in boxes), max(b[4] for b in boxes), max(b[5] for b in boxes))


def test_page_numbers_and_signature_bottom_right(letter):
    """"— 1 —" on each page; below the text, the sender centred above the date, the date four
    characters from the right margin (GB/T 9704 7.3.5.1), on the last page."""
    text = text_of(letter.pdf)
    assert re.search(r"—\s*1\s*—", text) and re.search(r"—\s*2\s*—", text)
    last = [c for c in chars(letter.pdf) if c[0] == 1 and c[1].strip()]
    closing = _span(last, "特此告知。")
    sender = _span(last, letter.department)
    issued = _span(last, letters.chinese_date(timezone.localdate()))
    assert closing[1] > sender[3] and sender[1] > issued[3]  # top to bottom
    assert issued[2] == pytest.approx(A4[0] - 26 * MM - 4 * 14.25, abs=4)
    assert (sender[0] + sender[2]) / 2 == pytest.approx((issued[0] + issued[2]) / 2, abs=2)
    # Room for the stamp (42 mm) over the sender and the date, above the bottom margin.
    assert issued[1] > 35 * MM + 10 * MM


# --- fonts ----------------------------------------------------------------------------------


def _fonts(pdf: bytes):
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            yield (descendants[0].get_object() if descendants else font)


def test_every_font_is_embedded_as_a_subset(letter):
    fonts = list(_fonts(letter.pdf))
    names = set()
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
        names.add(str(font["/BaseFont"]).lstrip("/"))
    # Subset fonts are named ABCDEF+Name; the body and the bold title are Noto Serif CJK SC (Song).
    assert all(re.fullmatch(r"[A-Z]{6}\+.+", name) for name in names), names
    assert {name.split("+")[1] for name in names} == {"Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold"}


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")
def test_pdffonts_reports_every_font_embedded(generated):
    output = subprocess.run(["pdffonts", "-"], input=generated["zhuozhou"].pdf, capture_output=True,
                            check=True).stdout.decode().splitlines()
    header = output[0]
    emb, sub = header.index(" emb") + 1, header.index(" sub") + 1
    rows = output[2:]
    assert rows
    for row in rows:
        assert row[emb:emb + 3] == "yes" and row[sub:sub + 3] == "yes", row


# --- the text -------------------------------------------------------------------------------


def test_text_is_the_seed_template_filled_in(letter):
    assert squeezed(text_of(letter.pdf)) == squeezed(letter.expected_text())


def test_the_details_of_this_enterprise(generated):
    baoding, shijiazhuang = generated["zhuozhou"], generated["changan"]
    for letter, evaluation in ((baoding, "2022年2月1日"), (shijiazhuang, "2022年3月1日")):
        text = squeezed(text_of(letter.pdf))
        assert letter.enterprise + "：" in text
        assert f"编号：{letter.number}" in text
        assert f"登录账户：{letter.account}" in text
        assert f"激活码：{letter.code}" in text and re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", letter.code)
        assert f"{evaluation}前完成本轮清洁生产方案的制定" in text
        assert letter.department in text
        assert SEED_PASSWORD not in text and "初始密码" not in text
    # Baoding (2021)—34 set an earlier evaluation date than the province's.
    assert "2022年3月1日" not in squeezed(text_of(baoding.pdf))
    assert baoding.code != shijiazhuang.code


def test_regenerated_letter_for_an_account_in_use(generated):
    first, again = generated["zhuozhou"], generated["regenerated"]
    text = squeezed(text_of(again.pdf))
    assert again.number == first.number and again.revision == first.revision + 1
    assert f"编号：{again.number}（第2版）" in text
    assert again.code == "" and "激活码" not in text and ALREADY_SET in text
    assert first.code not in text


# --- the QR code ----------------------------------------------------------------------------


def _render(pdf: bytes, dpi: int):
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[i].render(scale=dpi / 72).to_pil() for i in range(len(document))]
    finally:
        document.close()


def test_qr_code_reads_back_at_150_dpi(letter):
    first, second = _render(letter.pdf, 150)
    assert letter.payload == qr_payload(letter.number, letter.revision)
    assert qr.read_payloads(first) == [letter.payload]
    assert qr.read_payloads(second) == [f"{letter.payload}|2"]
    assert qr.parse(letter.payload) == (letter.number, letter.revision)
    assert qr.parse_page(f"{letter.payload}|2") == (letter.number, letter.revision, 2)


def test_qr_code_sits_in_the_top_right_margin_and_is_large_enough(generated):
    """Clear of a staple (top left), the stamp (over the signature) and the text; modules of
    about 0.7 mm (4 pixels at 150 dpi)."""
    dpi = 150
    for image in _render(generated["zhuozhou"].pdf, dpi):
        (result,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        corners = [result.position.top_left, result.position.top_right, result.position.bottom_right,
                   result.position.bottom_left]
        xs = [p.x * 25.4 / dpi for p in corners]
        ys = [p.y * 25.4 / dpi for p in corners]
        assert min(xs) > 210 / 2 and max(xs) <= 210 - 26 + 1  # right half, within the right margin
        assert min(ys) > 3 and max(ys) < 37  # inside the top margin, above the title and the text
        assert 18 <= max(xs) - min(xs) <= 30  # version 3: 29 modules of 0.7 mm


def test_one_render_of_several_letters_numbers_each_from_one():
    """letters.render() of a batch: each letter starts a page, its pages numbered from 1 and
    coded with its own payload."""
    dates = {kind: date(2022, 6, 1) for kind in MilestoneKind.values}
    contents = [letters.LetterContent(
        number=f"2021-T9-130681-00{n}", revision=1, enterprise_name=f"批量测试企业{n}", preamble="你公司列入测试批次名单",
        dates=dates, login_url="https://example.invalid/", account=f"QY13068100{n}", activation_code="ABCD-EFGH-JKLM",
        department="涿州市生态环境分局", issued_on=date(2021, 10, 12), qr_payload=qr_payload(f"2021-T9-130681-00{n}", 1),
    ) for n in (1, 2)]
    pdf = letters.render(contents)
    images = _render(pdf, 150)
    assert len(images) == 4
    assert [qr.read_payloads(image) for image in images] == [
        [contents[0].qr_payload], [contents[0].qr_payload + "|2"],
        [contents[1].qr_payload], [contents[1].qr_payload + "|2"]]
    numbers = re.findall(r"—\s*(\d+)\s*—", text_of(pdf))
    assert numbers == ["1", "2", "1", "2"]
