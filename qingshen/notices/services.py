"""Every step of the task notice and its letters: checked, transactional, audited."""

import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import has_transition_perm

from qingshen.accounts import services as account_services
from qingshen.enterprises import services as enterprise_services
from qingshen.accounts.models import User
from qingshen.audit_trail.services import record, snapshot
from qingshen.campaigns.models import Campaign, Milestone
from qingshen.files.services import store, store_upload
from qingshen.files.validation import STAMPED_COPY
from qingshen.files.validation import inspect as inspect_file
from qingshen.notices import letters as letter_rendering
from qingshen.notices import qr
from qingshen.notices.models import NoticeLetter, NoticeTask, ScanBatch, ScanPage
from qingshen.organizations.models import Organization
from qingshen.regions.models import Region
from qingshen.rosters.models import RosterTask
from qingshen.rosters.services import ATTESTATION, NOT_ATTESTED

ACTIVATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MAX_ACTIVATION_FAILURES = 5
OWN_FIELDS = ["document_number", "requirements", "contact_person", "contact_phone"]
ALREADY_DISPATCHED = "该任务已经下发，无需重复下发（可能是重复点击，或页面不是最新的）。"
REGENERATE_WARNING = "重新生成后，原告知书及其激活码作废，已上传的盖章版也需按新版重新上传。"
LETTER_PRIVATE = "告知书含企业的激活码，只有负责通知企业的生态环境部门可以查看和办理。"



def issuable_campaigns(user):
    """Campaigns with at least one city roster approved (the notice follows the roster)."""
    approved = RosterTask.objects.filter(level="city", status=RosterTask.Status.APPROVED).values("campaign_id")
    return Campaign.objects.restrict(user).filter(pk__in=approved).order_by("-year", "-created_at")

def _lock(task) -> NoticeTask:
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to `parent`
    return (NoticeTask.objects.select_for_update(of=("self",))
            .select_related("organization__region", "campaign", "parent").get(pk=task.pk))


def _department(region) -> Organization:
    return Organization.objects.get(region=region, kind__in=Organization.DEPARTMENT_KINDS)


# --- the province issues; each level adds its own and dispatches ------------------------------


def issue(actor, campaign: Campaign) -> list[NoticeTask]:
    """The province issues the notice (文号, 批次, 名称, 通知要求, dates, contact come from the
    campaign): its own task, dispatched, and one pending task (待派发) per city whose roster
    the province has approved. Run again, it adds the cities approved since."""
    if not actor.has_perm("notices.issue_notice"):
        raise PermissionDenied("只有省级生态环境部门可以发布清审任务通知。")
    if not campaign.document_number or not campaign.name or not campaign.requirements:
        raise ValidationError("请先在清审批次中填写文号、名称和通知要求。")
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)
        root = NoticeTask.objects.filter(campaign=campaign, parent__isnull=True).first()
        if root is None:
            root = NoticeTask(campaign=campaign, organization=actor.organization, level="province",
                              document_number=campaign.document_number, requirements=campaign.requirements,
                              contact_person=campaign.contact_person, contact_phone=campaign.contact_phone,
                              publish_date=campaign.issue_date or timezone.localdate(), deadline=campaign.deadline,
                              status=NoticeTask.Status.DISPATCHED)
            root.attested_by, root.attested_at = actor, timezone.now()
            root.save()
            record("notice.issue", actor=actor, obj=root, after=snapshot(root, OWN_FIELDS),
                   summary=f"发布清审任务通知 {campaign.name}", )
        approved = RosterTask.objects.filter(campaign=campaign, level="city", status=RosterTask.Status.APPROVED)
        have = set(root.children.values_list("organization_id", flat=True))
        created = []
        for roster_task in approved.select_related("organization__region").order_by("organization__account_code"):
            if roster_task.organization_id in have:
                continue
            child = NoticeTask(campaign=campaign, organization=roster_task.organization, parent=root, level="city")
            child.save()
            record("notice.create", actor=actor, obj=child, summary=f"{child.organization.name}收到清审任务通知")
            created.append(child)
    return created


def update_own(actor, task, *, new_attachments=(), **fields) -> NoticeTask:
    """本级任务信息: the level's own document number, requirements, contact and files."""
    with transaction.atomic():
        task = _lock(task)
        if task.organization_id != actor.organization_id or not actor.has_perm("notices.dispatch_notice"):
            raise PermissionDenied("只有本级生态环境部门可以填写本级任务信息。")
        if task.status != NoticeTask.Status.PENDING:
            raise ValidationError("任务已下发，不能再修改。")
        before = snapshot(task, OWN_FIELDS)
        for name in OWN_FIELDS:
            if name in fields:
                setattr(task, name, fields[name])
        contents = [(upload.name, upload.read()) for upload in new_attachments]
        for name, content in contents:  # every file is checked before any is kept
            inspect_file(name, content, STAMPED_COPY)
        stored = [store(actor, name, content) for name, content in contents]
        task.save()
        task.attachments.add(*stored)
        record("notice.update", actor=actor, obj=task, before=before,
               after={**snapshot(task, OWN_FIELDS), "attachments": [f.original_name for f in stored]},
               summary="填写本级任务信息")
    return task


def readiness(task) -> tuple[list, list[str]]:
    """(the members a notifying department must notify, names of those whose letter has no
    stamped copy of its current revision) — what the 下发任务 step checks."""
    members = list(task.members().select_related("enterprise").order_by("seq", "pk"))
    letters = {letter.member_id: letter for letter in NoticeLetter.objects.filter(task=task)}
    missing = [m.enterprise.name for m in members
               if m.pk not in letters or not letters[m.pk].has_current_stamped_copy]
    return members, missing


def missing_message(missing: list[str]) -> str:
    return (f"还有 {len(missing)} 家企业没有上传盖章版告知书：{'、'.join(missing[:10])}"
            f"{'等' if len(missing) > 10 else ''}。全部上传后才能下发。")


def dispatch(actor, task, *, attested: bool) -> list[NoticeTask]:
    """下发任务. A city passes the notice to its counties; a notifying department (a county, or a
    city-level unit without counties) to its enterprises, once every letter is stamped."""
    if not attested:
        raise ValidationError(NOT_ATTESTED)
    with transaction.atomic():
        task = _lock(task)
        if task.status != NoticeTask.Status.PENDING and task.organization_id == actor.organization_id:
            raise ValidationError(ALREADY_DISPATCHED)  # a double click, or a page left open
        if not has_transition_perm(task.dispatch, actor):
            raise PermissionDenied("只有本级生态环境部门可以下发待派发的任务。")
        children = []
        if task.notifies_enterprises:
            members, missing = readiness(task)
            if not members:
                raise ValidationError("本级名单中没有企业。")
            if missing:
                raise ValidationError(missing_message(missing))
            now = timezone.now()
            NoticeLetter.objects.filter(task=task).update(dispatched_at=now)
        else:
            counties = sorted({m.county_code for m in task.members() if m.county_code})
            for region in Region.objects.filter(code__in=counties).order_by("code"):
                child = NoticeTask(campaign=task.campaign, organization=_department(region), parent=task,
                                   level=region.level)
                child.save()
                record("notice.create", actor=actor, obj=child, summary=f"{child.organization.name}收到清审任务通知")
                children.append(child)
        task.dispatch()
        task.attested_by, task.attested_at = actor, timezone.now()
        task.save()
        record("notice.dispatch", actor=actor, obj=task, before={"status": NoticeTask.Status.PENDING},
               after={"status": task.status, "attestation": ATTESTATION},
               summary="下发清审任务通知至企业" if task.notifies_enterprises else f"下发清审任务通知至 {len(children)} 个区县")
    return children


# --- letters ---------------------------------------------------------------------------------


def _may_handle_letters(actor, task):
    if task.organization_id != actor.organization_id or not actor.has_perm("notices.generate_letter"):
        raise PermissionDenied("只有负责通知企业的生态环境部门可以办理告知书。")
    if not task.notifies_enterprises:
        raise ValidationError("告知书由区县（或不设区县的市）生成和下发。")


def new_activation_code() -> str:
    raw = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _enterprise_account(actor, member) -> tuple[User, bool]:
    """The enterprise's main account (created, without a password, if missing) and whether it
    is already in use: its holder has activated it, or signed in and replaced the initial
    password — then a new letter must not take that password away."""
    organization = enterprise_services.enterprise_organization(actor, member.enterprise)
    account = organization.users.filter(is_department_account=True).first()
    if account is None:
        account, _ = account_services.create_account(actor, organization=organization,
                                                     full_name=member.enterprise.name, initial_password=False)
    in_use = not account.must_change_password and (
        account.last_login is not None
        or NoticeLetter.objects.filter(account=account, activated_at__isnull=False).exists()
    )
    return account, in_use


def prepare_letter(actor, task, member, *, milestones=None) -> tuple[NoticeLetter, bytes, str]:
    """Create or regenerate one letter: a new revision with a new activation code (the old code
    and any stamped copy of the old revision stop counting). Returns (letter, PDF bytes,
    activation code — "" when the account is already in use); the code exists in clear only
    in the PDF and this return value."""
    with transaction.atomic():
        task = _lock(task)
        _may_handle_letters(actor, task)
        if task.status != NoticeTask.Status.PENDING:
            raise ValidationError("任务已下发，告知书不能再重新生成。")
        member = task.members().select_related("enterprise__region", "campaign").get(pk=member.pk)
        account, in_use = _enterprise_account(actor, member)
        letter = NoticeLetter.objects.select_for_update().filter(member=member).first()
        if letter is None:
            sequence = NoticeLetter.objects.filter(task=task).count() + 1
            letter = NoticeLetter(task=task, member=member, account=account,
                                  number=f"{member.campaign.code}-{task.organization.region_id}-{sequence:03d}")
        else:
            letter.revision += 1
        code = "" if in_use else new_activation_code()
        letter.account = account
        letter.activation_code_hash = make_password(code) if code else ""
        letter.activation_failures = 0
        if code:
            account.set_unusable_password()
            account.must_change_password = True
            account.save(update_fields=["password", "must_change_password"])
        content = letter_rendering.content_for(letter, code, issued_on=timezone.localdate(), milestones=milestones)
        pdf = letter_rendering.render([content])
        letter.pdf = store(actor, f"告知书-{letter.number}-第{letter.revision}版.pdf", pdf, allowed=("pdf",))
        letter.generated_at, letter.generated_by = timezone.now(), actor
        letter.save()
        record("notice.letter_generate", actor=actor, obj=letter,
               after={"number": letter.number, "revision": letter.revision, "account": account.username,
                      "activation_code_issued": bool(code)},
               summary=f"生成告知书 {letter.number}（第 {letter.revision} 版）")
    return letter, pdf, code


def campaign_milestones(campaign) -> list[Milestone]:
    """All of a campaign's milestones, fetched once for a batch of letters."""
    return list(Milestone.objects.filter(campaign=campaign).select_related("region"))


def attach_stamped_copy(actor, letter: NoticeLetter, upload, *, revision=None, via=NoticeLetter.StampedVia.UPLOAD,
                        stored=None) -> NoticeLetter:
    """The stamped copy of a letter (PDF/JPG/PNG, checked by content)."""
    with transaction.atomic():
        letter = NoticeLetter.objects.select_for_update().select_related("task__organization__region").get(pk=letter.pk)
        _may_handle_letters(actor, letter.task)
        if letter.task.status != NoticeTask.Status.PENDING:
            raise ValidationError("任务已下发，不能再更换盖章版告知书。")
        if revision is not None and revision != letter.revision:
            raise ValidationError(f"这份盖章件是第 {revision} 版告知书，已被第 {letter.revision} 版取代。")
        stored = stored or store_upload(actor, upload)
        before = {"stamped_copy": letter.stamped_copy.sha256 if letter.stamped_copy_id else None}
        letter.stamped_copy, letter.stamped_revision = stored, letter.revision
        letter.stamped_via, letter.stamped_at, letter.stamped_by = via, timezone.now(), actor
        letter.save()
        record("notice.letter_stamped", actor=actor, obj=letter, before=before,
               after={"stamped_copy": stored.sha256, "revision": letter.revision, "via": via},
               summary=f"上传盖章版告知书 {letter.number}")
    return letter


# --- letters from the pages: one at a time, in a batch, scanned in bulk ----------------------


def generate_letter(actor, task, member_id, *, expected_revision: int) -> tuple[NoticeLetter, str]:
    """生成 / 重新生成 one letter from the 告知书 step.

    `expected_revision` is the revision the page showed (0: none yet). A second click, or a
    page left open while the letter was regenerated elsewhere, is refused, instead of quietly
    issuing yet another activation code and voiding the one just printed."""
    with transaction.atomic():
        task = _lock(task)
        _may_handle_letters(actor, task)
        if task.status != NoticeTask.Status.PENDING:
            raise ValidationError("任务已下发，告知书不能再生成或重新生成。")
        member = task.members().filter(pk=member_id).first()
        if member is None:
            raise ValidationError("该企业不在本级名单中。")
        current = NoticeLetter.objects.select_for_update().filter(member=member).first()
        have = current.revision if current else 0
        if have != expected_revision:
            if expected_revision == 0:
                raise ValidationError(f"该企业的告知书已经生成（{current.number}，第 {have} 版），请勿重复点击。")
            raise ValidationError(f"该企业的告知书现在是第 {have} 版，页面不是最新的；请刷新页面后再操作。")
        letter, _, code = prepare_letter(actor, task, member)
    return letter, code


def start_letters_batch(actor, task, fmt: str):
    """批量下载企业告知书: a background job (ZIP of one PDF per enterprise, or one merged PDF);
    letters not generated yet are generated by the job, never in the request."""
    from qingshen.jobs.services import start_job
    from qingshen.notices.jobs import LETTERS_KIND

    if fmt not in ("zip", "pdf"):
        raise ValidationError("请选择下载格式：ZIP（每家企业一个 PDF）或合并的 PDF。")
    task = NoticeTask.objects.select_related("organization__region", "campaign").get(pk=task.pk)
    _may_handle_letters(actor, task)
    if not task.members().exists():
        raise ValidationError("本级名单中没有企业。")
    label = "ZIP" if fmt == "zip" else "合并 PDF"
    with transaction.atomic():
        job = start_job(actor, kind=LETTERS_KIND, title=f"批量下载企业告知书（{task.organization.name}，{label}）",
                        params={"task_id": task.pk, "format": fmt})
        # the letters carry activation codes: who took them out is recorded
        record("notice.letters_batch", actor=actor, obj=task, after={"job": job.pk, "format": fmt},
               summary=f"批量下载企业告知书（{label}）")
    return job


def receive_scan(actor, task, uploads) -> ScanBatch:
    """批量上传盖章件: one multi-page PDF or many images, checked by content before anything is
    kept; the QR codes are read by a background job (notices.read_scan)."""
    from qingshen.jobs.services import start_job
    from qingshen.notices.jobs import SCAN_KIND

    uploads = [upload for upload in uploads if upload is not None]
    if not uploads:
        raise ValidationError("请选择要上传的盖章件：一个多页 PDF 扫描件，或多张 JPG/PNG 图片。")
    with transaction.atomic():
        task = _lock(task)
        _may_handle_letters(actor, task)
        if task.status != NoticeTask.Status.PENDING:
            raise ValidationError("任务已下发，不能再上传盖章版告知书。")
        contents = [(upload.name, upload.read()) for upload in uploads]
        for name, content in contents:  # every file is checked before any is kept
            inspect_file(name, content, STAMPED_COPY, max_bytes=settings.QINGSHEN_MAX_UPLOAD_BYTES)
        stored = [store(actor, name, content, max_bytes=settings.QINGSHEN_MAX_UPLOAD_BYTES)
                  for name, content in contents]
        batch = ScanBatch.objects.create(task=task, uploaded_by=actor)
        batch.sources.add(*stored)
        pages = sum(f.pages for f in stored)
        batch.job = start_job(actor, kind=SCAN_KIND, title=f"识别盖章版告知书（{len(stored)} 个文件，{pages} 页）",
                              params={"batch_id": batch.pk})
        batch.save(update_fields=["job"])
        record("notice.scan_upload", actor=actor, obj=task,
               after={"batch": batch.pk, "files": [f.original_name for f in stored], "pages": pages},
               summary=f"批量上传盖章版告知书 {len(stored)} 个文件，共 {pages} 页")
    return batch


def assign_scan_page(actor, page, letter_id, letter_page: int = 1) -> ScanPage:
    """人工指定: a scanned page the QR reading could not match is filed as page `letter_page` of
    the letter the official chooses (audited, via=manual). The letter's stamped copy becomes
    all its pages of the current version found so far — read or assigned — in page order."""
    from qingshen.notices import scanning

    with transaction.atomic():
        page = ScanPage.objects.select_for_update().select_related("batch__task", "image").get(pk=page.pk)
        task = page.batch.task
        if page.outcome in (ScanPage.Outcome.MATCHED, ScanPage.Outcome.ASSIGNED):
            raise ValidationError("此页已经对应到告知书，不需要再指定。")
        letter = NoticeLetter.objects.filter(task=task, pk=letter_id).select_related(
            "member__enterprise", "pdf").first()
        if letter is None:
            raise ValidationError("请选择本级名单中已生成的告知书。")
        pages_in_letter = letter.pdf.pages if letter.pdf_id else 1
        if not 1 <= letter_page <= pages_in_letter:
            raise ValidationError(f"该告知书共 {pages_in_letter} 页，请选择第 1–{pages_in_letter} 页。")
        parsed = qr.parse(page.payload) if page.payload else None
        if parsed and parsed[0] == letter.number and parsed[1] != letter.revision:
            raise ValidationError(f"此页是第 {parsed[1]} 版告知书，已被第 {letter.revision} 版取代，"
                                  "不能作为盖章版；请打印新版告知书盖章后上传。")
        before = {"outcome": page.outcome}
        page.outcome, page.letter = ScanPage.Outcome.ASSIGNED, letter
        page.letter_revision, page.letter_page = letter.revision, letter_page
        page.save(update_fields=["outcome", "letter", "letter_revision", "letter_page"])
        filed = {}
        for found in (ScanPage.objects.filter(letter=letter, letter_revision=letter.revision,
                                              outcome__in=(ScanPage.Outcome.MATCHED, ScanPage.Outcome.ASSIGNED))
                      .select_related("image").order_by("pk")):
            filed[found.letter_page or 1] = found  # a later assignment of the same page wins
        ordered = [filed[number] for number in sorted(filed)]
        if len(ordered) == 1:
            stored = ordered[0].image
        else:
            kinds = {"application/pdf": "pdf", "image/jpeg": "jpeg", "image/png": "png"}
            combined = scanning.as_one_pdf([(p.image.open_content(), kinds[p.image.mime]) for p in ordered])
            stored = store(actor, f"盖章件-{letter.number}.pdf", combined, allowed=("pdf",))
        attach_stamped_copy(actor, letter, None, via=NoticeLetter.StampedVia.MANUAL, stored=stored)
        record("notice.scan_assign", actor=actor, obj=letter, before=before,
               after={"batch": page.batch_id, "page": page.index, "source": page.source_name, "via": "manual",
                      "letter_page": letter_page, "pages_filed": sorted(filed)},
               summary=f"人工指定第 {page.index} 页扫描件为 {letter.member.enterprise.name} 告知书的第 {letter_page} 页")
    return page


# --- the enterprise activates its account ----------------------------------------------------


class ActivationError(ValidationError):
    pass


def activate(username: str, code: str, new_password: str) -> User:
    """The enterprise sets its password with the one-time code printed on its letter.

    A wrong code counts against the letter (committed even though the call fails); after
    five, the code is dead and the county must regenerate the letter.
    """
    from django.contrib.auth.password_validation import validate_password

    generic = "登录账户或激活码不正确。"
    dead = "激活码已因多次输错失效，请联系所在地生态环境分局重新生成告知书。"
    normalised = code.strip().upper().replace(" ", "")
    if len(normalised) == 12 and "-" not in normalised:
        normalised = f"{normalised[:4]}-{normalised[4:8]}-{normalised[8:]}"
    failure = None
    with transaction.atomic():
        letter = (NoticeLetter.objects.select_for_update().select_related("account")
                  .filter(account__username=username).order_by("-generated_at").first())
        if letter is None or not letter.activation_code_hash or letter.activated_at is not None:
            raise ActivationError(generic)
        if letter.activation_failures >= MAX_ACTIVATION_FAILURES:
            raise ActivationError(dead)
        if not check_password(normalised, letter.activation_code_hash):
            letter.activation_failures += 1
            letter.save(update_fields=["activation_failures"])
            record("account.activation_failed", obj=letter.account, summary=f"激活失败：{username}")
            left = MAX_ACTIVATION_FAILURES - letter.activation_failures
            failure = f"{generic}还可尝试 {left} 次。" if left else dead
    if failure:
        raise ActivationError(failure)
    account = letter.account
    validate_password(new_password, account)
    with transaction.atomic():
        letter = NoticeLetter.objects.select_for_update().get(pk=letter.pk)
        if letter.activated_at is not None:
            raise ActivationError(generic)
        account.set_password(new_password)
        account.must_change_password = False
        account.password_changed_at = timezone.now()
        account.save(update_fields=["password", "must_change_password", "password_changed_at"])
        letter.activated_at = timezone.now()
        letter.activation_code_hash = ""
        letter.save(update_fields=["activated_at", "activation_code_hash"])
        record("account.activate", actor=account, obj=account, summary=f"以告知书激活码激活账号 {username}")
    return account
