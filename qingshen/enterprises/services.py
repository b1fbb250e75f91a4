"""Every change to the registry goes through here: permission and jurisdiction checked,
the row locked, a stale edit refused, and the change written to the audit trail."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from qingshen.accounts import services as account_services
from qingshen.audit_trail.services import record, snapshot
from qingshen.core.scoping import jurisdiction_of
from qingshen.enterprises import importing
from qingshen.enterprises.models import Enterprise, ImportBatch
from qingshen.enterprises.validators import normalise_uscc
from qingshen.industries.models import Industry
from qingshen.organizations.models import Organization
from qingshen.organizations.services import next_account_code
from qingshen.regions.models import Region

FIELDS = [
    "name", "uscc", "region", "town", "village", "address", "legal_representative", "industry", "nature",
    "employees", "working_days", "status", "double_exceed", "double_toxic", "water_related",
    "in_approved_park", "centralized_treatment", "permit_number", "permit_category",
]


class StaleEditError(ValidationError):
    """The row changed since the user's form was loaded."""


def _check_region(actor, region):
    if not Region.objects.enterprise_locations(actor).filter(pk=region.pk).exists():
        raise PermissionDenied(f"{region.name}不在您的辖区内。")


def _validate(enterprise: Enterprise) -> None:
    """full_clean(), with the model's two uniqueness rules (unique code; unique name within its
    county) said plainly, not in Django's wording ("包含 所属区县 和 企业名称 的 企业 已经存在"),
    and placed on the field to correct. A new unique rule on Enterprise must be added here."""
    errors = {}
    try:
        enterprise.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    others = Enterprise.objects.all() if enterprise.pk is None else Enterprise.objects.exclude(pk=enterprise.pk)
    if enterprise.uscc and "uscc" not in errors and others.filter(uscc=enterprise.uscc).exists():
        errors["uscc"] = [ValidationError(
            "该统一社会信用代码已登记在其他企业名下，请核实。", code="unique")]
    if (enterprise.name and enterprise.region_id and "name" not in errors
            and others.filter(region_id=enterprise.region_id, name=enterprise.name).exists()):
        errors["name"] = [ValidationError(
            f"{enterprise.region.name}已有名为“{enterprise.name}”的企业。", code="unique")]
    if errors:
        raise ValidationError(errors)


def _save(enterprise: Enterprise) -> None:
    """Save in a savepoint. If a concurrent save took the same code or name between our check
    and our write, the database refuses; say what clashes, as _validate() would have."""
    try:
        with transaction.atomic():
            enterprise.save()
    except IntegrityError:
        _validate(enterprise)
        raise ValidationError("保存失败：他人刚刚登记了相同的企业信息，请刷新后核对。") from None


def create_enterprise(actor, **data) -> Enterprise:
    if not actor.has_perm("enterprises.add_enterprise"):
        raise PermissionDenied("您无权新增企业。")
    _check_region(actor, data["region"])
    if "uscc" in data:
        data["uscc"] = normalise_uscc(data["uscc"])
    with transaction.atomic():
        enterprise = Enterprise(**data)
        _validate(enterprise)
        _save(enterprise)
        record("enterprise.create", actor=actor, obj=enterprise, after=snapshot(enterprise, FIELDS),
               summary=f"新增企业 {enterprise.name}")
    return enterprise


def update_enterprise(actor, enterprise: Enterprise, *, expected_version: int | None = None, **data) -> Enterprise:
    """Apply the changed fields; refuse if someone saved the row after `expected_version`."""
    if not actor.has_perm("enterprises.change_enterprise"):
        raise PermissionDenied("您无权修改企业信息。")
    if "uscc" in data:
        data["uscc"] = normalise_uscc(data["uscc"])
    with transaction.atomic():
        locked = Enterprise.objects.restrict(actor).select_for_update().filter(pk=enterprise.pk).first()
        if locked is None:
            raise PermissionDenied("该企业不在您的辖区内。")
        if expected_version is not None and locked.version != expected_version:
            raise StaleEditError("该企业信息已被他人修改。请刷新页面查看最新内容后再保存；您填写的内容仍保留在下方。")
        if "region" in data and data["region"].pk != locked.region_id:
            _check_region(actor, data["region"])
        before = snapshot(locked, FIELDS)
        for name, value in data.items():
            setattr(locked, name, value)
        after = snapshot(locked, FIELDS)
        if after == before:
            return locked
        _validate(locked)
        locked.version += 1
        _save(locked)
        record("enterprise.update", actor=actor, obj=locked, before=before, after=after,
               summary=f"修改企业 {locked.name}")
    return locked


def enterprise_organization(actor, enterprise: Enterprise) -> Organization:
    """The enterprise's organisation, created on first need (account code QY + region code +
    sequence). Call inside a transaction."""
    organization = Organization.objects.filter(enterprise=enterprise).first()
    if organization is None:
        organization = Organization(
            kind=Organization.Kind.ENTERPRISE, name=enterprise.name,
            account_code=next_account_code(f"QY{enterprise.region_id}"),
            region=enterprise.region, enterprise=enterprise, uscc=enterprise.uscc or "",
        )
        organization.save()
        record("organization.create", actor=actor, obj=organization, after=snapshot(organization),
               summary=f"建立企业单位 {organization.name}")
    return organization


def create_enterprise_account(actor, enterprise: Enterprise):
    """The enterprise's main account (its organisation created on first need).

    Returns (account, one-time password).
    """
    if not actor.has_perm("accounts.add_enterprise_account"):
        raise PermissionDenied("您无权创建企业账号。")
    if not enterprise.is_within(jurisdiction_of(actor)):
        raise PermissionDenied("该企业不在您的辖区内。")
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        organization = enterprise_organization(actor, locked)
        return account_services.create_account(actor, organization=organization, full_name=locked.name)


def receive_import(actor, uploaded_file) -> tuple["ImportBatch", "importing.Preview"]:
    """Keep the uploaded list (privately, hashed) and check it; writes no enterprise."""
    if not actor.has_perm("enterprises.import_enterprise"):
        raise PermissionDenied("您无权导入企业。")
    content = uploaded_file.read()
    preview = importing.check_file(actor, uploaded_file.name, content)  # FileRejected propagates
    batch = ImportBatch(
        owner=actor, original_name=uploaded_file.name[:200], sha256=hashlib.sha256(content).hexdigest(),
        row_count=len(preview.rows),
    )
    batch.file.save(uploaded_file.name, ContentFile(content), save=False)
    batch.save()
    return batch, preview


def preview_import(actor, batch: ImportBatch) -> "importing.Preview":
    with batch.file.open("rb") as handle:
        return importing.check_file(actor, batch.original_name, handle.read())


def apply_import(actor, batch: ImportBatch) -> "importing.Preview":
    """Write a clean list in one transaction. The file is checked again against the registry
    as it is now; if that finds errors, nothing is written and the preview is returned."""
    if not actor.has_perm("enterprises.import_enterprise"):
        raise PermissionDenied("您无权导入企业。")
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk, owner=actor)
        if locked.status != ImportBatch.Status.PREVIEWED:
            raise ValidationError("该文件已经导入或已放弃，不能再次导入。")
        preview = preview_import(actor, locked)
        if not preview.is_clean:
            return preview
        regions = {r.code: r for r in Region.objects.filter(code__in={r.values["region"] for r in preview.rows})}
        industries = {i.code: i for i in Industry.objects.filter(code__in={r.values.get("industry") for r in preview.rows})}
        created = updated = 0
        for row in preview.rows:
            data = dict(row.values)
            data["region"] = regions[data["region"]]
            if "industry" in data:
                data["industry"] = industries[data["industry"]]
            if row.action == "create":
                create_enterprise(actor, **data)
                created += 1
            elif row.action == "update":
                enterprise = Enterprise.objects.get(pk=row.enterprise_id)
                if update_enterprise(actor, enterprise, **data).version != enterprise.version:
                    updated += 1
        locked.status = ImportBatch.Status.APPLIED
        locked.created_count, locked.updated_count = created, updated
        locked.applied_at = timezone.now()
        locked.save()
        record("enterprise.import", actor=actor, obj=None, scope=actor.organization,
               summary=f"导入企业名单 {locked.original_name}：新增 {created} 家，更新 {updated} 家",
               after={"file": locked.original_name, "sha256": locked.sha256, "created": created, "updated": updated})
    return preview


def discard_import(actor, batch: ImportBatch) -> None:
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk, owner=actor)
        if locked.status == ImportBatch.Status.PREVIEWED:
            locked.status = ImportBatch.Status.DISCARDED
            locked.save(update_fields=["status"])
