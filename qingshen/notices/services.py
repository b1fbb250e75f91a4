"""Every step of the task notice and its letters: checked, transactional, audited."""

import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import has_transition_perm

from qingshen.accounts import services as account_services
from qingshen.accounts.models import User
from qingshen.audit_trail.services import record, snapshot
from qingshen.campaigns.models import Campaign, Milestone
from qingshen.files.services import store, store_upload
from qingshen.notices import letters as letter_rendering
from qingshen.notices.models import NoticeLetter, NoticeTask
from qingshen.organizations.models import Organization
from qingshen.organizations.services import next_account_code
from qingshen.regions.models import Region
from qingshen.rosters.models import RosterTask
from qingshen.rosters.services import ATTESTATION, NOT_ATTESTED

ACTIVATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MAX_ACTIVATION_FAILURES = 5
OWN_FIELDS = ["document_number", "requirements", "contact_person", "contact_phone"]


def _lock(task) -> NoticeTask:
    return NoticeTask.objects.select_for_update().select_related("organization__region", "campaign", "parent").get(
        pk=task.pk)


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
        stored = [store_upload(actor, upload, allowed=("pdf", "jpeg", "png")) for upload in new_attachments]
        task.save()
        task.attachments.add(*stored)
        record("notice.update", actor=actor, obj=task, before=before,
               after={**snapshot(task, OWN_FIELDS), "attachments": [f.original_name for f in stored]},
               summary="填写本级任务信息")
    return task


def dispatch(actor, task, *, attested: bool) -> list[NoticeTask]:
    """下发任务. A city passes the notice to its counties; a notifying department (a county, or a
    city-level unit without counties) to its enterprises, once every letter is stamped."""
    if not attested:
        raise ValidationError(NOT_ATTESTED)
    with transaction.atomic():
        task = _lock(task)
        if not has_transition_perm(task.dispatch, actor):
            raise PermissionDenied("只有本级生态环境部门可以下发待派发的任务。")
        children = []
        if task.notifies_enterprises:
            members = list(task.members().select_related("enterprise"))
            letters = {letter.member_id: letter for letter in NoticeLetter.objects.filter(task=task)}
            missing = [m.enterprise.name for m in members
                       if m.pk not in letters or not letters[m.pk].has_current_stamped_copy]
            if not members:
                raise ValidationError("本级名单中没有企业。")
            if missing:
                raise ValidationError(
                    f"还有 {len(missing)} 家企业没有上传盖章版告知书：{'、'.join(missing[:10])}"
                    f"{'等' if len(missing) > 10 else ''}。全部上传后才能下发。")
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
    """The enterprise's main account (created if missing) and whether it is already in use."""
    enterprise = member.enterprise
    organization = Organization.objects.filter(enterprise=enterprise).first()
    if organization is None:
        organization = Organization.objects.create(
            kind=Organization.Kind.ENTERPRISE, name=enterprise.name,
            account_code=next_account_code(f"QY{enterprise.region_id}"), region=enterprise.region,
            enterprise=enterprise, uscc=enterprise.uscc or "",
        )
        record("organization.create", actor=actor, obj=organization, after=snapshot(organization),
               summary=f"建立企业单位 {organization.name}")
    account = organization.users.filter(is_department_account=True).first()
    if account is None:
        account, _ = account_services.create_account(actor, organization=organization, full_name=enterprise.name)
    in_use = account.last_login is not None and not account.must_change_password
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
