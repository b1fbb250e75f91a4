"""Every change to evidence (佐证材料): attach, replace, withdraw, lock.

Other apps code against these functions (and the `{% evidence_panel %}` tag), never against
the model's fields:

    attach(actor, owner, upload, *, slot="", title="", document_date=None) -> Evidence
    replace(actor, evidence, upload, *, document_date=None) -> Evidence
    withdraw(actor, evidence) -> None
    current(owner, slot=None) -> QuerySet[Evidence]
    lock_for_project(project, actor, *, owners=None) -> int
    may_add(user, owner) -> bool

`upload` is an uploaded file (anything with `.name` and `.read()`). The owner is any row that
declares evidence slots (see `qingshen.evidence.registry`: a class attribute `evidence_slots`
or `registry.register("app.Model", {...})` from its app's `ready()`) and is an AuditProject
or has `.project`. An owner may define `evidence_editable(user) -> bool`; when it answers
False (a submitted phase) nothing may be added, replaced or withdrawn.

Who may change evidence: a user with `evidence.add_evidence` (the enterprise and its
consultancy) whose jurisdiction contains the project; anyone else gets PermissionDenied (views
and the API answer 404 for a project outside the jurisdiction before calling here). State
refusals (locked, replaced or withdrawn meanwhile, duplicate, unknown slot, owner no longer
editable) are ValidationError, a refused file is FileRefused — all with Chinese text.

Each change runs in one transaction, locks the project row (so two uploads of the same file
cannot both pass the duplicate check) and the evidence row, and writes an audit event.
"""

import hashlib
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qingshen.audit_trail.services import record, snapshot
from qingshen.evidence import images
from qingshen.evidence.models import Evidence
from qingshen.evidence.registry import project_of, slot_label, slots_for
from qingshen.files.services import store
from qingshen.files.validation import EVIDENCE, evidence_limits


def current(owner, slot=None):
    """The current (not replaced, not withdrawn) files of this owner, and of this slot if given.

    Not restricted to a user: the caller has already decided the user may see the owner.
    Rows come with their file, thumbnail, uploader and `version_count` (no per-row queries).
    """
    return Evidence.objects.for_owner(owner, slot).current().for_display().order_by("uploaded_at", "pk")


def versions(evidence):
    """Every version of the evidence's series, newest first."""
    return (Evidence.objects.filter(series=evidence.series)
            .select_related("stored", "thumbnail", "uploaded_by").order_by("-version"))


def owner_editable(user, owner) -> bool:
    hook = getattr(owner, "evidence_editable", None)
    return True if hook is None else bool(hook(user))


def may_add(user, owner) -> bool:
    """Whether the user may add, replace and withdraw files of this owner (for pages)."""
    from qingshen.projects.models import AuditProject

    if not user.is_authenticated or not user.has_perm("evidence.add_evidence"):
        return False
    project = project_of(owner)
    if not AuditProject.objects.restrict(user).filter(pk=project.pk).exists():
        return False
    return owner_editable(user, owner)


def _check_may_change(actor, owner):
    from qingshen.projects.models import AuditProject

    if actor is None or not actor.is_authenticated or not actor.has_perm("evidence.add_evidence"):
        raise PermissionDenied("您没有上传或修改佐证材料的权限。")
    project = project_of(owner)
    if not AuditProject.objects.restrict(actor).filter(pk=project.pk).exists():
        raise PermissionDenied("该项目不在您的管辖或委托范围内。")
    if not owner_editable(actor, owner):
        raise ValidationError("该部分已提交，不能再上传、替换或删除佐证材料。")
    return project


def _lock_project(project):
    from qingshen.projects.models import AuditProject

    return (AuditProject.objects.select_for_update(of=("self",))
            .select_related("enterprise__region").get(pk=project.pk))


def _read(upload) -> tuple[str, bytes]:
    name = PurePath(getattr(upload, "name", "") or "file").name
    if hasattr(upload, "seek"):
        upload.seek(0)
    return name, upload.read()


def _refuse_duplicate(owner, slot, name, content):
    digest = hashlib.sha256(content).hexdigest()
    earlier = (Evidence.objects.for_owner(owner, slot).current().filter(stored__sha256=digest)
               .select_related("stored").first())
    if earlier is not None:
        when = timezone.localtime(earlier.uploaded_at)
        raise ValidationError(
            f"文件“{name}”与已上传的“{earlier.stored.original_name}”（{when:%Y-%m-%d %H:%M} 上传）内容相同，无需重复上传。"
        )


def _store_with_thumbnail(actor, name, content):
    """The stored file, its thumbnail (images only) and the photo's capture time."""
    stored = store(actor, name, content, allowed=EVIDENCE,
                   max_bytes=settings.QINGSHEN_MAX_UPLOAD_BYTES, limits=evidence_limits())
    thumbnail = captured_at = None
    if stored.mime.startswith("image/"):
        captured_at = images.capture_time(content)
        small = images.thumbnail_jpeg(content)
        if small is not None:
            thumbnail = store(actor, f"{PurePath(name).stem[:80]}-缩略图.jpg", small, allowed=("jpeg",))
    return stored, thumbnail, captured_at


def attach(actor, owner, upload, *, slot="", title="", document_date=None) -> Evidence:
    """A new document (series, version 1) for the owner's slot."""
    slots = slots_for(owner)
    if slot not in slots:
        raise ValidationError(f"未知的材料类别“{slot}”。" if slot else "请选择材料类别。")
    _check_may_change(actor, owner)
    name, content = _read(upload)
    with transaction.atomic():
        project = _lock_project(project_of(owner))
        _refuse_duplicate(owner, slot, name, content)
        stored, thumbnail, captured_at = _store_with_thumbnail(actor, name, content)
        evidence = Evidence(
            project=project, owner=owner, slot=slot, version=1, stored=stored, thumbnail=thumbnail,
            title=(title or "").strip()[:200], document_date=document_date, captured_at=captured_at,
            uploaded_by=actor, uploaded_at=timezone.now(),
        )
        evidence.save()
        record("evidence.attach", actor=actor, obj=evidence, after=snapshot(evidence),
               summary=f"上传佐证材料“{evidence.display_name}”（{slot_label(owner, slot)}）")
    return evidence


def _locked_current(evidence, verb: str) -> Evidence:
    """The evidence row, locked, refused if it is no longer the one the page showed."""
    row = (Evidence.objects.select_for_update(of=("self",))
           .select_related("stored", "project__enterprise__region").get(pk=evidence.pk))
    if row.withdrawn_at is not None:
        raise ValidationError(f"“{row.display_name}”已被删除，不能再{verb}。请刷新页面。")
    if row.superseded_at is not None:
        newest = Evidence.objects.filter(series=row.series).order_by("-version").first()
        raise ValidationError(f"“{row.display_name}”已被替换为第 {newest.version} 版，请刷新页面后再{verb}。")
    if row.locked_at is not None:
        when = timezone.localtime(row.locked_at)
        raise ValidationError(f"“{row.display_name}”所在的申请已于 {when:%Y-%m-%d} 受理，材料已锁定，不能{verb}。")
    return row


def replace(actor, evidence, upload, *, document_date=None) -> Evidence:
    """Version n+1 of the series; the old version stays readable (superseded_at set).

    Without a `document_date` the new version keeps the previous one's date.
    """
    owner = evidence.owner
    _check_may_change(actor, owner)
    name, content = _read(upload)
    with transaction.atomic():
        _lock_project(evidence.project)
        old = _locked_current(evidence, "替换")
        before = snapshot(old)
        _refuse_duplicate(owner, old.slot, name, content)
        stored, thumbnail, captured_at = _store_with_thumbnail(actor, name, content)
        now = timezone.now()
        old.superseded_at = now
        old.save(update_fields=["superseded_at"])
        new = Evidence(
            project=old.project, owner_type_id=old.owner_type_id, owner_id=old.owner_id, slot=old.slot,
            series=old.series, version=old.version + 1, stored=stored, thumbnail=thumbnail, title=old.title,
            document_date=document_date if document_date is not None else old.document_date,
            captured_at=captured_at, uploaded_by=actor, uploaded_at=now,
        )
        new.save()
        record("evidence.replace", actor=actor, obj=new, before=before, after=snapshot(new),
               summary=f"替换佐证材料“{old.display_name}”为第 {new.version} 版（{stored.original_name}）")
    return new


def withdraw(actor, evidence) -> None:
    """Take the file out of the owner's current files; the row and its versions stay."""
    owner = evidence.owner
    _check_may_change(actor, owner)
    with transaction.atomic():
        _lock_project(evidence.project)
        row = _locked_current(evidence, "删除")
        before = snapshot(row)
        row.withdrawn_at = timezone.now()
        row.save(update_fields=["withdrawn_at"])
        record("evidence.withdraw", actor=actor, obj=row, before=before, after=snapshot(row),
               summary=f"删除佐证材料“{row.display_name}”（第 {row.version} 版）")
    evidence.withdrawn_at = row.withdrawn_at


def lock_for_project(project, actor, *, owners=None) -> int:
    """Lock the project's current evidence (or only that of `owners`) when an application
    containing it is accepted; returns how many rows were locked.

    It checks no permission itself: it is called from inside the applications' own service
    (accepting an application is an official's act, who may not add evidence), in that
    service's transaction. Locked files can no longer be replaced or withdrawn; new files may
    still be attached unless the owner's `evidence_editable()` says otherwise.
    """
    with transaction.atomic():
        queryset = Evidence.objects.select_for_update().filter(project=project, locked_at__isnull=True).current()
        if owners is not None:
            ids = [row.pk for owner in owners for row in Evidence.objects.for_owner(owner).current().only("pk")]
            queryset = queryset.filter(pk__in=ids)
        ids = list(queryset.values_list("pk", flat=True))
        if not ids:
            return 0
        now = timezone.now()
        Evidence.objects.filter(pk__in=ids).update(locked_at=now)
        record("evidence.lock", actor=actor, obj=project, after={"evidence": ids, "locked_at": now},
               summary=f"锁定 {len(ids)} 份佐证材料")
    return len(ids)
