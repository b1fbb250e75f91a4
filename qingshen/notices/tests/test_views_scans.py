"""批量上传盖章件: the county scans its stamped letters (one multi-page PDF and an image), the
QR codes are read by the background job, and what could not be matched is assigned by hand."""

import io

import pytest
import segno
from PIL import Image

from qingshen.audit_trail.models import Event
from qingshen.files.models import StoredFile
from qingshen.notices import services
from qingshen.notices.models import NoticeLetter, NoticeTask, ScanBatch, ScanPage
from qingshen.notices.tests.test_views_support import (
    EXTRA,
    blank_page,
    exe_named_pdf,
    messages_of,
    notified_world,
    page_images,
    scan_pdf,
    scan_png,
    text_of,
)

pytestmark = pytest.mark.django_db


def unknown_code_page() -> Image.Image:
    """A page whose QR code names a letter that does not exist."""
    page = blank_page()
    buffer = io.BytesIO()
    segno.make("QINGSHEN-GZS|2099-X-999999-001|1", error="m").save(buffer, kind="png", scale=8, border=4)
    page.paste(Image.open(buffer).convert("L"), (900, 100))
    return page


@pytest.fixture
def scanned(client, django_capture_on_commit_callbacks):
    """涿州's three letters generated; the county scans: A, a blank page, A again, C's first
    (regenerated) revision and an unknown code in one PDF, and C's current letter as a rotated PNG.
    B is not in the scan."""
    world = notified_world()
    county, task = world.county, world.task
    a = world.member(world.e_zhuozhou)
    b, c = (world.members[name] for name, _ in EXTRA)
    letter_a, _ = services.generate_letter(county, task, a.pk, expected_revision=0)
    letter_b, _ = services.generate_letter(county, task, b.pk, expected_revision=0)
    letter_c, _ = services.generate_letter(county, task, c.pk, expected_revision=0)
    image_a = page_images(letter_a.pdf.open_content())[0]
    image_c_old = page_images(letter_c.pdf.open_content())[0]
    letter_c, _ = services.generate_letter(county, task, c.pk, expected_revision=1)
    image_c = page_images(letter_c.pdf.open_content())[0].rotate(90, expand=True)

    client.force_login(county)
    form = client.get(f"/notices/{task.pk}/scans/upload/")
    assert form.status_code == 200 and "批量上传盖章件" in text_of(form)
    files = [scan_pdf([image_a, blank_page(), image_a, image_c_old, unknown_code_page()], "涿州盖章件.pdf"),
             scan_png(image_c, "圣泉.png")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/notices/{task.pk}/scans/upload/", {"files": files})
    batch = ScanBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/notices/scans/{batch.pk}/"
    world.letters = {"a": letter_a, "b": letter_b, "c": letter_c}
    world.batch = batch
    return world


def test_every_page_has_its_outcome(scanned, client):
    batch = scanned.batch
    pages = {page.index: page for page in batch.pages.all()}
    assert {i: p.outcome for i, p in pages.items()} == {
        1: ScanPage.Outcome.MATCHED, 2: ScanPage.Outcome.NO_CODE, 3: ScanPage.Outcome.DUPLICATE,
        4: ScanPage.Outcome.STALE, 5: ScanPage.Outcome.UNKNOWN, 6: ScanPage.Outcome.MATCHED}
    letters = {key: NoticeLetter.objects.get(pk=letter.pk) for key, letter in scanned.letters.items()}
    assert pages[1].letter_id == letters["a"].pk and letters["a"].has_current_stamped_copy
    assert pages[6].letter_id == letters["c"].pk and letters["c"].stamped_revision == 2
    assert letters["a"].stamped_via == NoticeLetter.StampedVia.SCAN
    assert not letters["b"].has_current_stamped_copy

    page = client.get(f"/notices/scans/{batch.pk}/")
    text = text_of(page)
    assert "共 6 页，已对应 2 页，未对应 4 页" in text
    for label in ("已匹配", "未识别到二维码", "重复扫描", "告知书已重新生成，此件已作废", "编号不存在或不属于本单位"):
        assert label in text, label
    assert "涿州盖章件.pdf 第 2 页" in text and "圣泉.png" in text
    image = client.get(f"/notices/scans/pages/{pages[1].pk}/image/")
    assert image.status_code == 200 and image["Content-Type"] == "application/pdf"
    image = client.get(f"/notices/scans/pages/{pages[6].pk}/image/")
    assert image["Content-Type"] == "image/png"
    # the letters step lists the upload
    assert "批量上传记录" in text_of(client.get(f"/notices/{scanned.task.pk}/letters/"))


def test_an_unmatched_page_is_assigned_by_hand(scanned, client):
    batch, letter_b = scanned.batch, scanned.letters["b"]
    blank = batch.pages.get(index=2)
    response = client.post(f"/notices/scans/pages/{blank.pk}/assign/", {f"p{blank.pk}-letter": letter_b.pk},
                           follow=True)
    assert "第 2 页已指定为对应企业的盖章版告知书。" in messages_of(response)
    blank.refresh_from_db()
    letter_b.refresh_from_db()
    assert blank.outcome == ScanPage.Outcome.ASSIGNED and blank.letter_id == letter_b.pk
    assert letter_b.has_current_stamped_copy and letter_b.stamped_via == NoticeLetter.StampedVia.MANUAL
    assert letter_b.stamped_copy_id == blank.image_id
    event = Event.objects.get(action="notice.scan_assign")
    assert event.after["via"] == "manual" and event.after["page"] == 2 and event.actor == scanned.county
    assert Event.objects.filter(action="notice.letter_stamped", after__via="manual").exists()

    # a matched page cannot be reassigned; an old revision cannot stand in for the new one
    matched = batch.pages.get(index=1)
    again = client.post(f"/notices/scans/pages/{matched.pk}/assign/", {f"p{matched.pk}-letter": letter_b.pk},
                        follow=True)
    assert "第 1 页：此页已经对应到告知书，不需要再指定。" in messages_of(again)
    stale = batch.pages.get(index=4)
    refused = client.post(f"/notices/scans/pages/{stale.pk}/assign/",
                          {f"p{stale.pk}-letter": scanned.letters["c"].pk}, follow=True)
    assert "此页是第 1 版告知书，已被第 2 版取代" in messages_of(refused)[0]
    empty = client.post(f"/notices/scans/pages/{stale.pk}/assign/", {}, follow=True)
    assert "第 4 页：请选择对应的企业告知书。" in messages_of(empty)

    # every letter now has its stamped copy: the county dispatches
    response = client.post(f"/notices/{scanned.task.pk}/dispatch/", {"attested": "on"}, follow=True)
    assert "任务已下发至企业。" in messages_of(response)[0]
    assert NoticeTask.objects.get(pk=scanned.task.pk).status == NoticeTask.Status.DISPATCHED
    # after dispatch the page offers no assignment, and a stale form is refused
    page = client.get(f"/notices/scans/{batch.pk}/")
    assert "指定</button>" not in page.content.decode()
    unknown = batch.pages.get(index=5)
    late = client.post(f"/notices/scans/pages/{unknown.pk}/assign/", {f"p{unknown.pk}-letter": letter_b.pk},
                       follow=True)
    assert "任务已下发，不能再更换盖章版告知书。" in messages_of(late)[0]


def test_scans_are_private_to_the_county(scanned, client):
    from qingshen.core.roles import Role

    page = scanned.batch.pages.get(index=1)
    for user, status in ((scanned.user(Role.CITY), 403), (scanned.user(Role.PROVINCE), 403),
                         (scanned.other_county_user, 404)):
        client.force_login(user)
        assert client.get(f"/notices/scans/{scanned.batch.pk}/").status_code == status
        assert client.get(f"/notices/scans/pages/{page.pk}/image/").status_code == status


def test_a_bad_file_in_a_bulk_upload_keeps_nothing(client):
    world = notified_world(extra=False)
    client.force_login(world.county)
    stored = StoredFile.objects.count()
    response = client.post(f"/notices/{world.task.pk}/scans/upload/",
                           {"files": [scan_png(blank_page(), "好.png"), exe_named_pdf("扫描.pdf")]})
    assert response.status_code == 200
    assert "文件“扫描.pdf”实际是 EXE 文件，只能上传 PDF、JPG、PNG 文件。" in text_of(response)
    assert not ScanBatch.objects.exists() and StoredFile.objects.count() == stored
    response = client.post(f"/notices/{world.task.pk}/scans/upload/", {})
    assert "请选择要上传的盖章件。" in text_of(response)
