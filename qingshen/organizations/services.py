"""Adding and editing organisations that are not departments (consultancies, expert
institutions). Departments and permit authorities come from the region tree."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from qingshen.audit_trail.services import record, snapshot
from qingshen.organizations.models import Organization

ACCOUNT_PREFIX = {
    Organization.Kind.CONSULTANCY: "ZX",
    Organization.Kind.EXPERT_INSTITUTION: "ZJ",
}
EDITABLE = ["name", "region", "uscc", "contact_person", "contact_phone", "is_active"]


def next_account_code(prefix: str) -> str:
    taken = set(Organization.objects.filter(account_code__startswith=prefix).values_list("account_code", flat=True))
    number = len(taken) + 1
    while f"{prefix}{number:04d}" in taken:
        number += 1
    return f"{prefix}{number:04d}"


def create_organization(actor, *, kind, **fields) -> Organization:
    if not actor.has_perm("organizations.add_organization"):
        raise PermissionDenied("您无权添加单位。")
    if kind not in ACCOUNT_PREFIX:
        raise PermissionDenied("生态环境部门和行政审批局由区划树生成，不能手工添加。")
    with transaction.atomic():
        organization = Organization(kind=kind, account_code=next_account_code(ACCOUNT_PREFIX[kind]), **fields)
        organization.full_clean()
        organization.save()
        record("organization.create", actor=actor, obj=organization, after=snapshot(organization),
               summary=f"添加单位 {organization.name}")
    return organization


def update_organization(actor, organization: Organization, **fields) -> Organization:
    if not actor.has_perm("organizations.change_organization"):
        raise PermissionDenied("您无权修改单位信息。")
    if organization.kind not in ACCOUNT_PREFIX:
        # A department's name and region come from the region tree; an enterprise's from the
        # registry. Moving either would move its accounts' jurisdiction.
        raise PermissionDenied("生态环境部门、行政审批局和企业的单位信息不能在此修改。")
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        before = snapshot(locked, EDITABLE)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.save()
        record("organization.update", actor=actor, obj=locked, before=before,
               after=snapshot(locked, EDITABLE), summary=f"修改单位 {locked.name}")
    return locked
