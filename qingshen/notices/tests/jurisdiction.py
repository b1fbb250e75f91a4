"""The notices' rows of the jurisdiction harness (tests/test_jurisdiction.py).

World: CampaignWorld("accepted"): the province's notice went to 保定市, 石家庄市 and 定州市;
保定市 dispatched to 涿州市 (130681: letter generated, stamped and dispatched) and 莲池区
(130606: pending, no letter yet). Pickers build the few rows the world lacks (a letter in
莲池区, bulk scans, a notice file) with the ORM.

Letters, stamped copies and scans carry activation codes: inside its jurisdiction, a
department that does not notify the enterprise gets 403, so only the county is "allowed"
on those rows; the province and the city are checked for that 403.
"""

import io

from PIL import Image

from qingshen.core.roles import Role
from tests.jurisdiction_support import OFFICIALS, Case

VIEWERS = OFFICIALS | {Role.SYSADMIN}
COUNTY = frozenset({Role.COUNTY})


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def _stored(name="harness.png"):
    from qingshen.files.services import store

    return store(None, name, _png(), allowed=("png",))


# --- tasks -----------------------------------------------------------------------------------


def task(inside: bool):
    def pick(world, role):
        inside_by_role = {
            Role.PROVINCE: world.notice_task("130606"), Role.SYSADMIN: world.notice_task("130606"),
            Role.CITY: world.notice_task("130606"), Role.COUNTY: world.notice_task("130681"),
        }
        outside_by_role = {Role.CITY: world.notice_task("130100"), Role.COUNTY: world.notice_task("130606")}
        return (inside_by_role if inside else outside_by_role).get(role)

    return pick


def task_with_file(inside: bool):
    def pick(world, role):
        found = task(inside)(world, role)
        if found is not None and not found.attachments.exists():
            found.attachments.add(_stored("通知文件.png"))
        return found

    return pick


def own_task(inside: bool):
    """Pages only the notifying department may open: the county's own task inside, 莲池 outside."""

    def pick(world, role):
        if role == Role.COUNTY:
            return world.notice_task("130681" if inside else "130606")
        return world.notice_task("130606") if inside else None

    return pick


# --- letters ---------------------------------------------------------------------------------


def _letter_in(world, code, enterprise, account):
    from qingshen.notices.models import NoticeLetter

    letter, _ = NoticeLetter.objects.get_or_create(
        member=world.member(enterprise),
        defaults={"task": world.notice_task(code), "number": f"HARNESS-{code}", "account": account},
    )
    return letter


def lianchi_letter(world):
    return _letter_in(world, "130606", world.e_lianchi, world.other_enterprise_user)


def changan_letter(world):
    return _letter_in(world, "130100", world.e_changan, world.other_city_user)


def own_letter(inside: bool):
    """The county's own letter inside, 莲池's outside; others probe 涿州's letter (403)."""

    def pick(world, role):
        if role == Role.COUNTY and not inside:
            return lianchi_letter(world)
        return world.letter if inside else None

    return pick


def letter(inside: bool):
    """Letter rows (status only, no secrets): every official sees its jurisdiction's."""

    def pick(world, role):
        if inside:
            return world.letter if role in VIEWERS else None
        return {Role.CITY: changan_letter, Role.COUNTY: lianchi_letter}.get(role, lambda w: None)(world)

    return pick


# --- bulk scans ------------------------------------------------------------------------------


def _scan_on(world, code, user):
    from qingshen.notices.models import ScanBatch, ScanPage

    task = world.notice_task(code)
    batch = ScanBatch.objects.filter(task=task).first()
    if batch is None:
        batch = ScanBatch.objects.create(task=task, uploaded_by=user)
        image = _stored("扫描页.png")
        batch.sources.add(image)
        ScanPage.objects.create(batch=batch, index=1, source_name="扫描页.png", image=image,
                                outcome=ScanPage.Outcome.NO_CODE)
    return batch


def scan(inside: bool):
    """Scan outcomes: every official sees its jurisdiction's (the pages themselves are private)."""

    def pick(world, role):
        if inside:
            return _scan_on(world, "130681", world.user(Role.COUNTY)) if role in VIEWERS else None
        if role == Role.COUNTY:
            return _scan_on(world, "130606", world.other_county_user)
        if role == Role.CITY:
            return _scan_on(world, "130100", world.other_city_user)
        return None

    return pick


def scan_page(inside: bool):
    def pick(world, role):
        batch = scan(inside)(world, role)
        return batch.pages.first() if batch is not None else None

    return pick


def own_scan(inside: bool):
    """The county's own scan inside, 莲池's outside; the others probe 涿州's (403)."""

    def pick(world, role):
        if role == Role.COUNTY and not inside:
            return _scan_on(world, "130606", world.other_county_user)
        return _scan_on(world, "130681", world.user(Role.COUNTY)) if inside else None

    return pick


def own_scan_page(inside: bool):
    def pick(world, role):
        batch = own_scan(inside)(world, role)
        return batch.pages.first() if batch is not None else None

    return pick


PAGES = {
    "notices:list": Case(VIEWERS),
    "notices:issue": Case(frozenset({Role.PROVINCE})),
    "notices:detail": Case(VIEWERS, pick=task),
    "notices:own": Case(VIEWERS, pick=task),
    "notices:enterprises": Case(VIEWERS, pick=task),
    "notices:letters": Case(VIEWERS, pick=task),
    "notices:dispatch": Case(VIEWERS, pick=task),
    "notices:attachment": Case(VIEWERS, pick=task_with_file,
                               kwargs=lambda t: {"pk": t.pk, "file_pk": t.attachments.first().pk}),
    "notices:generate": Case(OFFICIALS, method="post", pick=task),
    "notices:letters_batch": Case(OFFICIALS, method="post", pick=task),
    "notices:scan_upload": Case(COUNTY, pick=own_task),
    "notices:letter_pdf": Case(COUNTY, pick=own_letter),
    "notices:letter_stamped": Case(COUNTY, pick=own_letter),
    "notices:letter_upload": Case(COUNTY, pick=own_letter),
    "notices:letter_regenerate": Case(COUNTY, pick=own_letter),
    "notices:scan_detail": Case(COUNTY, pick=own_scan),
    "notices:scan_page_image": Case(COUNTY, pick=own_scan_page),
    "notices:scan_page_assign": Case(COUNTY, method="post", pick=own_scan_page),
}

API = {
    "noticetask-list": Case(VIEWERS, pick=task),
    "noticetask-detail": Case(VIEWERS, pick=task),
    "noticetask-issue": Case(frozenset({Role.PROVINCE})),
    "noticetask-dispatch": Case(VIEWERS, pick=task),
    "noticetask-letters-batch": Case(COUNTY, pick=own_task),
    "noticeletter-list": Case(VIEWERS, pick=letter),
    "noticeletter-detail": Case(VIEWERS, pick=letter),
    "noticeletter-pdf": Case(COUNTY, pick=own_letter),
    "noticeletter-stamped-copy": Case(COUNTY, pick=own_letter),
    "noticeletter-regenerate": Case(COUNTY, pick=own_letter),
    "scanbatch-list": Case(VIEWERS, pick=scan),
    "scanbatch-detail": Case(VIEWERS, pick=scan),
    "scanpage-list": Case(VIEWERS, pick=scan_page),
    "scanpage-detail": Case(VIEWERS, pick=scan_page),
    "scanpage-image": Case(COUNTY, pick=own_scan_page),
    "scanpage-assign": Case(COUNTY, pick=own_scan_page),
}
