"""Every change to the option ledger and to a feasibility analysis goes through here.

Each function checks the permission (`options.change_option`: the enterprise and the
consultancy it delegated to) and the jurisdiction (the row must be in `restrict(actor)`), locks
the row, refuses a stale edit (the `version` the user's page showed), validates with messages
in Chinese placed on the field to correct, saves and writes the audit event with before and
after, in one transaction.
"""

import re
from decimal import Decimal

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

from qingshen.audit_trail.services import record, snapshot
from qingshen.options.feasibility import InputError, check
from qingshen.options.models import Feasibility, Option
from qingshen.projects.models import AuditProject

PERMISSION = "options.change_option"
FIELDS = ["code", "name", "phase", "cost_class", "description", "investment", "status", "economic_benefit",
          "water_saved", "cod_reduced", "nh3n_reduced", "energy_saved", "other_benefits"]
FEASIBILITY_FIELDS = ["technical_assessment", "environmental_assessment", *Feasibility.INPUTS, "conclusion"]
STALE = "该{what}已被他人修改。请刷新页面查看最新内容后再保存；您填写的内容仍保留在下方。"
SCOPE = ("province_code", "city_code", "county_code")  # set from the region on save
CODE_PATTERN = re.compile(r"^F(\d+)$", re.IGNORECASE)


class StaleEditError(ValidationError):
    """The row changed since the user's form was loaded."""


def can_edit(user, project: AuditProject) -> bool:
    """Whether the user may change this project's ledger (for showing buttons; services check again)."""
    return user.has_perm(PERMISSION) and AuditProject.objects.restrict(user).filter(pk=project.pk).exists()


def suggest_code(project: AuditProject, taken=None) -> str:
    """The next free code F<n>: one more than the highest F-number of the project."""
    if taken is None:
        taken = list(Option.objects.filter(project=project).values_list("code", flat=True))
    numbers = [int(match.group(1)) for code in taken if (match := CODE_PATTERN.match(code))]
    upper = {code.upper() for code in taken}
    candidate = max(numbers, default=0) + 1
    while f"F{candidate}" in upper:
        candidate += 1
    return f"F{candidate}"


def _check_permission(actor):
    if not actor.has_perm(PERMISSION):
        raise PermissionDenied("您无权修改方案台账。")


def _lock_project(actor, project) -> AuditProject:
    locked = (AuditProject.objects.restrict(actor).select_for_update(of=("self",))
              .filter(pk=project.pk).select_related("enterprise__region").first())
    if locked is None:
        raise PermissionDenied("该清洁生产审核项目不在您的权限范围内。")
    return locked


def _lock_option(actor, option) -> Option:
    locked = (Option.objects.restrict(actor).select_for_update(of=("self",))
              .filter(pk=option.pk).select_related("project__enterprise__region").first())
    if locked is None:
        raise PermissionDenied("该方案不在您的权限范围内。")
    return locked


def _check_version(row, expected_version, what):
    if expected_version is not None and row.version != expected_version:
        raise StaleEditError(STALE.format(what=what))


def _validate(option: Option) -> None:
    """full_clean (field messages are the model's, in Chinese) and the code's uniqueness in
    the project, said plainly (case does not make a new code: f1 is F1)."""
    errors = {}
    option.code = (option.code or "").strip()
    option.name = (option.name or "").strip()
    if not option.code:
        errors["code"] = [ValidationError("请填写方案编号。", code="required")]
    if not option.name:
        errors["name"] = [ValidationError("请填写方案名称。", code="required")]
    try:
        option.full_clean(exclude=["project", *SCOPE], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.update_error_dict({}).items():
            if name not in errors:  # ours first, said our way
                errors[name] = messages
    others = Option.objects.filter(project_id=option.project_id, code__iexact=option.code)
    if option.pk is not None:
        others = others.exclude(pk=option.pk)
    if option.code and "code" not in errors and others.exists():
        errors["code"] = [ValidationError(f"本项目已有编号为 {option.code} 的方案，请换一个编号。", code="unique")]
    if errors:
        raise ValidationError(errors)
    _quantize(option)


def _quantize(row) -> None:
    """Decimals to their field's places (120.5 → 120.50), as the database will hold them, so
    the audit event's after is what was stored."""
    for field in row._meta.concrete_fields:
        value = getattr(row, field.attname)
        if isinstance(field, models.DecimalField) and value is not None:
            setattr(row, field.attname, Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places)))


def _save(option: Option) -> None:
    try:
        with transaction.atomic():
            option.save()
    except IntegrityError:
        raise ValidationError({"code": [f"本项目已有编号为 {option.code} 的方案，请换一个编号。"]}) from None


def create_option(actor, project: AuditProject, **data) -> Option:
    """登记方案. A blank code gets the next F-number."""
    _check_permission(actor)
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown option fields: {sorted(unknown)}")
    with transaction.atomic():
        project = _lock_project(actor, project)  # serialises code suggestions within the project
        option = Option(project=project, **data)
        if not (option.code or "").strip():
            option.code = suggest_code(project)
        _validate(option)
        _save(option)
        record("option.create", actor=actor, obj=option, after=snapshot(option, FIELDS),
               summary=f"登记方案 {option}（{option.get_cost_class_display()}）")
    return option


def update_option(actor, option: Option, *, expected_version: int | None = None, **data) -> Option:
    """修改方案, the status included (a plain field: see the models' docstring)."""
    _check_permission(actor)
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown option fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock_option(actor, option)
        _check_version(locked, expected_version, "方案")
        before = snapshot(locked, FIELDS)
        old_status = locked.get_status_display()
        for name, value in data.items():
            setattr(locked, name, value)
        if (before["cost_class"] == Option.CostClass.HIGH and locked.cost_class != Option.CostClass.HIGH
                and Feasibility.objects.filter(option=locked).exists()):
            raise ValidationError({"cost_class": ["该方案已有可行性分析，不能改为无低费方案；如确需改类，请先删除其可行性分析。"]})
        _validate(locked)
        after = snapshot(locked, FIELDS)
        if after == before:
            return locked
        locked.version += 1
        _save(locked)
        if set(k for k in after if after[k] != before[k]) == {"status"}:
            summary = f"方案 {locked} 状态：{old_status} → {locked.get_status_display()}"
        else:
            summary = f"修改方案 {locked}"
        record("option.update", actor=actor, obj=locked, before=before, after=after, summary=summary)
    return locked


def evidence_count(option: Option) -> int:
    """How many files (any version, withdrawn included) back this option (0 while the evidence
    app is not installed)."""
    try:
        evidence = apps.get_model("evidence", "Evidence")
    except LookupError:
        return 0
    return evidence.objects.filter(owner_type=ContentType.objects.get_for_model(Option), owner_id=option.pk).count()


def delete_option(actor, option: Option, *, expected_version: int | None = None) -> None:
    """删除方案: only one entered by mistake — never one with evidence files (its history would
    be lost); an option given up is set to 放弃 instead."""
    _check_permission(actor)
    with transaction.atomic():
        locked = _lock_option(actor, option)
        _check_version(locked, expected_version, "方案")
        if evidence_count(locked):
            raise ValidationError("该方案已上传佐证材料，不能删除；如不再实施，请将实施状态改为“放弃”。")
        before = snapshot(locked, FIELDS)
        feasibility = Feasibility.objects.filter(option=locked).first()
        if feasibility is not None:
            before["feasibility"] = snapshot(feasibility, FEASIBILITY_FIELDS)
        record("option.delete", actor=actor, obj=locked, before=before, summary=f"删除方案 {locked}")
        locked.delete()


def save_feasibility(actor, option: Option, *, expected_version: int | None = None, **data) -> Feasibility:
    """Create or change the feasibility analysis of a 中高费 option; the results are computed
    on save. `expected_version` is the analysis' version the page showed (None: not checked;
    0: the page showed none, so one created meanwhile is a stale edit)."""
    _check_permission(actor)
    unknown = set(data) - set(FEASIBILITY_FIELDS)
    if unknown:
        raise ValueError(f"unknown feasibility fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock_option(actor, option)
        if not locked.is_high_cost:
            raise ValidationError("只有中高费方案需要进行可行性分析。")
        feasibility = Feasibility.objects.select_for_update().filter(option=locked).first()
        if feasibility is None:
            if expected_version:
                raise StaleEditError("该方案的可行性分析已被他人删除。请刷新页面后重新填写；您填写的内容仍保留在下方。")
            feasibility, before = Feasibility(option=locked), None
        else:
            if expected_version is not None:
                _check_version(feasibility, expected_version, "可行性分析")
            before = snapshot(feasibility, FEASIBILITY_FIELDS + list(Feasibility.RESULTS))
        for name, value in data.items():
            setattr(feasibility, name, value)
        _validate_feasibility(feasibility)
        if before is not None:
            if snapshot(feasibility, FEASIBILITY_FIELDS) == {k: before[k] for k in FEASIBILITY_FIELDS}:
                return feasibility
            feasibility.version += 1
        feasibility.save()
        after = snapshot(feasibility, FEASIBILITY_FIELDS + list(Feasibility.RESULTS))
        record("option.feasibility", actor=actor, obj=feasibility, before=before, after=after,
               summary=f"{'填写' if before is None else '修改'}方案 {locked} 的可行性分析（{verdict(feasibility)}）")
    return feasibility


def _validate_feasibility(feasibility: Feasibility) -> None:
    errors = {}
    try:
        feasibility.full_clean(exclude=["option", *SCOPE, *Feasibility.RESULTS], validate_unique=False)
    except ValidationError as exc:
        errors = exc.update_error_dict({})
    if errors:
        raise ValidationError(errors)
    _quantize(feasibility)
    try:
        check(feasibility.calculator_inputs())
    except InputError as exc:
        raise ValidationError(str(exc)) from exc


def verdict(feasibility: Feasibility) -> str:
    return {True: "经济上可行", False: "经济上不可行"}.get(feasibility.economically_feasible, "未计算")


def delete_feasibility(actor, option: Option, *, expected_version: int | None = None) -> None:
    """删除可行性分析 (so that a mis-classed option can become 无低费)."""
    _check_permission(actor)
    with transaction.atomic():
        locked = _lock_option(actor, option)
        feasibility = Feasibility.objects.select_for_update().filter(option=locked).first()
        if feasibility is None:
            raise ValidationError("该方案没有可行性分析。")
        _check_version(feasibility, expected_version, "可行性分析")
        before = snapshot(feasibility, FEASIBILITY_FIELDS + list(Feasibility.RESULTS))
        record("option.feasibility_delete", actor=actor, obj=locked, before=before,
               summary=f"删除方案 {locked} 的可行性分析")
        feasibility.delete()
