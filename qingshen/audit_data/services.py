"""Every change to the audit data tables: add, edit and delete a row, and a balance's lines.

The tables belong to the phase filings (工作过程痕迹), so filling them needs the filings
permission (`filings.change_phasefiling`: the enterprise, or its consultancy on its behalf) and
reading them `filings.view_phasefiling`. Each change runs in one transaction that locks the
project row first (so two users adding the same year cannot both pass the one-row-per-year
check, and every change of a project's data is serialised in one order), re-reads the row
within the actor's jurisdiction, refuses an edit made from a stale page (`expected_version`),
validates with the model's Chinese messages, saves, and records an audit event with the row
before and after.

A balance's version also moves when one of its lines changes: replacing the lines through the
API checks the balance's version, so it can never silently drop a line someone else just added.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from qingshen.audit_data.models import AuditFocus, Balance, BalanceLine, MaterialUse, PollutantRecord, Target, WaterUse
from qingshen.audit_trail.services import record, snapshot
from qingshen.projects.models import AuditProject

FILL = "filings.change_phasefiling"
READ = "filings.view_phasefiling"

MODELS = (MaterialUse, WaterUse, PollutantRecord, AuditFocus, Target, Balance)
_FIXED = {"project", "balance"}


class StaleEditError(ValidationError):
    """The row changed since the user's page was loaded."""


def data_fields(model) -> list[str]:
    """The fields a user fills in (not the project, codes, version or times)."""
    return [f.name for f in model._meta.concrete_fields
            if f.editable and not f.primary_key and f.name not in _FIXED
            and f.name not in ("province_code", "city_code", "county_code")]


def _snapshot(row):
    return snapshot(row, [*data_fields(type(row)), "id", "version", "project", "balance"])


def _label(row) -> str:
    return type(row)._meta.verbose_name


def _check_fill(actor):
    if not actor.has_perm(FILL):
        raise PermissionDenied("您无权填写审核数据（仅企业及其委托的咨询服务机构可以填写）。")


def _lock_project(actor, project_id) -> AuditProject:
    project = (AuditProject.objects.restrict(actor).select_for_update(of=("self",))
               .select_related("enterprise__region").filter(pk=project_id).first())
    if project is None:
        raise PermissionDenied("该清洁生产审核项目不在您的辖区内。")
    return project


def _lock_row(actor, model, pk):
    row = model.objects.restrict(actor).select_for_update(of=("self",)).filter(pk=pk).first()
    if row is None:
        if model.objects.filter(pk=pk).exists():
            raise PermissionDenied("该数据不在您的辖区内。")
        raise ValidationError("该行数据已不存在（可能已被他人删除），请刷新页面。")
    return row


def _check_version(row, expected_version, deleting=False):
    if expected_version is not None and int(expected_version) != row.version:
        if deleting:
            raise StaleEditError("该行数据已被他人修改，请刷新页面确认后再删除。")
        raise StaleEditError("该行数据已被他人修改。请刷新页面查看最新内容后再保存；您填写的内容仍保留在下方。")


def _assign(row, data):
    """Set the given fields; text trimmed, decimals to the column's places (so 1.5 and 1.5000 are
    the same value, and an unchanged form records no change)."""
    allowed = set(data_fields(type(row)))
    unknown = set(data) - allowed
    if unknown:
        raise TypeError(f"{type(row).__name__} has no data fields {sorted(unknown)}")
    for name, value in data.items():
        field = row._meta.get_field(name)
        if isinstance(value, str):
            value = value.strip()
        if isinstance(field, models.DecimalField) and value not in (None, ""):
            try:
                value = Decimal(str(value)).quantize(Decimal(1).scaleb(-field.decimal_places))
            except InvalidOperation:
                pass  # too many digits: full_clean() says so in its words
        setattr(row, name, value)


def _validate(row):
    errors = {}
    try:
        row.full_clean(exclude=["project", "balance"], validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if isinstance(row, WaterUse) and row.year and "year" not in errors:
        taken = WaterUse.objects.filter(project_id=row.project_id, year=row.year).exclude(pk=row.pk).exists()
        if taken:
            errors["year"] = [f"{row.year} 年的取水数据已经填写，请修改已有的一行。"]
    if errors:
        raise ValidationError(errors)


# --- the tables' rows --------------------------------------------------------------------------


def add_row(actor, project, model, **data):
    """A new row of `model` (one of MODELS) in the project."""
    if model not in MODELS:
        raise TypeError(f"{model.__name__} is not an audit data table")
    _check_fill(actor)
    with transaction.atomic():
        project = _lock_project(actor, project.pk)
        row = model(project=project)
        _assign(row, data)
        _validate(row)
        row.save()
        record(f"audit_data.{model._meta.model_name}.create", actor=actor, obj=row, after=_snapshot(row),
               summary=f"新增{_label(row)}：{row}")
    return row


def update_row(actor, row, *, expected_version=None, **data):
    """Change a row's fields; refused if the row moved past `expected_version`."""
    model = type(row)
    if model not in MODELS:
        raise TypeError(f"{model.__name__} is not an audit data table")
    _check_fill(actor)
    with transaction.atomic():
        project = _lock_project(actor, row.project_id)
        locked = _lock_row(actor, model, row.pk)
        locked.project = project
        _check_version(locked, expected_version)
        before = _snapshot(locked)
        _assign(locked, data)
        after = _snapshot(locked)
        if after == before:
            return locked
        _validate(locked)
        locked.version += 1
        locked.save()
        record(f"audit_data.{model._meta.model_name}.update", actor=actor, obj=locked, before=before,
               after=_snapshot(locked), summary=f"修改{_label(locked)}：{locked}")
    return locked


def delete_row(actor, row, *, expected_version=None) -> None:
    """Remove a row (a balance with its lines); the event keeps what it held."""
    model = type(row)
    if model not in MODELS:
        raise TypeError(f"{model.__name__} is not an audit data table")
    _check_fill(actor)
    with transaction.atomic():
        _lock_project(actor, row.project_id)
        locked = _lock_row(actor, model, row.pk)
        _check_version(locked, expected_version, deleting=True)
        before = _snapshot(locked)
        if isinstance(locked, Balance):
            before["lines"] = [_snapshot(line) for line in locked.lines.order_by("direction", "pk")]
        summary = f"删除{_label(locked)}：{locked}"
        locked.delete()
        record(f"audit_data.{model._meta.model_name}.delete", actor=actor, obj=row, before=before,
               summary=summary, object_repr=str(row))


# --- a balance's lines -------------------------------------------------------------------------


def _lock_balance(actor, balance_id, expected_version=None) -> Balance:
    balance = _lock_row(actor, Balance, balance_id)
    _check_version(balance, expected_version)
    return balance


def _bump(balance):
    balance.version += 1
    balance.save(update_fields=["version", "updated_at"])


def add_line(actor, balance, **data) -> BalanceLine:
    _check_fill(actor)
    with transaction.atomic():
        project = _lock_project(actor, balance.project_id)
        balance = _lock_balance(actor, balance.pk)
        balance.project = project
        line = BalanceLine(balance=balance)
        _assign(line, data)
        _validate(line)
        line.save()
        _bump(balance)
        record("audit_data.balanceline.create", actor=actor, obj=balance, after=_snapshot(line),
               summary=f"{balance.name}：新增{line.get_direction_display()}项目 {line.item}")
    return line


def update_line(actor, line, *, expected_version=None, **data) -> BalanceLine:
    _check_fill(actor)
    with transaction.atomic():
        project = _lock_project(actor, line.balance.project_id)
        balance = _lock_balance(actor, line.balance_id)
        balance.project = project
        locked = _lock_row(actor, BalanceLine, line.pk)
        locked.balance = balance
        _check_version(locked, expected_version)
        before = _snapshot(locked)
        _assign(locked, data)
        if _snapshot(locked) == before:
            return locked
        _validate(locked)
        locked.version += 1
        locked.save()
        _bump(balance)
        record("audit_data.balanceline.update", actor=actor, obj=balance, before=before, after=_snapshot(locked),
               summary=f"{balance.name}：修改{locked.get_direction_display()}项目 {locked.item}")
    return locked


def delete_line(actor, line, *, expected_version=None) -> None:
    _check_fill(actor)
    with transaction.atomic():
        project = _lock_project(actor, line.balance.project_id)
        balance = _lock_balance(actor, line.balance_id)
        balance.project = project
        locked = _lock_row(actor, BalanceLine, line.pk)
        _check_version(locked, expected_version, deleting=True)
        before = _snapshot(locked)
        summary = f"{balance.name}：删除{locked.get_direction_display()}项目 {locked.item}"
        locked.delete()
        _bump(balance)
        record("audit_data.balanceline.delete", actor=actor, obj=balance, before=before, summary=summary)


def replace_lines(actor, balance, lines: list[dict], *, expected_version=None) -> Balance:
    """All of a balance's lines at once (the API's nested write): the old ones go, the given
    ones come, in one event; refused if the balance moved past `expected_version`."""
    _check_fill(actor)
    with transaction.atomic():
        project = _lock_project(actor, balance.project_id)
        balance = _lock_balance(actor, balance.pk, expected_version)
        balance.project = project
        before = [_snapshot(line) for line in balance.lines.order_by("direction", "pk")]
        new, errors = [], {}
        for index, data in enumerate(lines):
            line = BalanceLine(balance=balance)
            _assign(line, data)
            try:
                _validate(line)
            except ValidationError as exc:
                errors[f"lines[{index}]"] = [f"{k}: {m}" for k, ms in exc.message_dict.items() for m in ms]
            new.append(line)
        if errors:
            raise ValidationError(errors)
        balance.lines.all().delete()
        for line in new:
            line.save()
        _bump(balance)
        record("audit_data.balanceline.replace", actor=actor, obj=balance,
               before={"lines": before}, after={"lines": [_snapshot(line) for line in new]},
               summary=f"{balance.name}：更新全部投入产出项目（{len(new)} 项）")
    return balance


def create_balance(actor, project, *, lines=None, **data) -> Balance:
    """A new balance, with its lines when given (API)."""
    with transaction.atomic():
        balance = add_row(actor, project, Balance, **data)
        if lines:
            balance = replace_lines(actor, balance, lines)
    return balance
