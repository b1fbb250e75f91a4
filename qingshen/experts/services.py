"""Every change to the expert pool (专家库) goes through here.

Each function checks the permission (`experts.add_expert` / `experts.change_expert`: the
province and the cities) and the pool: the province keeps every pool (its own and each
city's), a city only its own. Changes lock the row, refuse a stale edit (the `version` the
user's page showed), validate with messages in Chinese placed on the field to correct, save
and write the audit event with before and after, in one transaction.

An expert's account is a staff account of its employer, an organisation of kind 专家所在单位
in the pool's region (created on first need), so the expert signs in with role 专家 and sees
only the reviews it is drawn for.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from qingshen.accounts import services as account_services
from qingshen.audit_trail.services import record, snapshot
from qingshen.core.scoping import jurisdiction_of
from qingshen.enterprises.models import Enterprise
from qingshen.experts.models import Expert, Field
from qingshen.industries.models import Industry
from qingshen.organizations.models import Organization
from qingshen.organizations.services import ACCOUNT_PREFIX, next_account_code
from qingshen.regions.models import Region

ADD = "experts.add_expert"
CHANGE = "experts.change_expert"
IMPORT = "experts.import_expert"
FIELDS = ["name", "employer", "title", "pool", "home_region", "fields", "phone", "email", "note"]
RELATIONS = ["industries", "conflict_consultancies", "conflict_enterprises"]
EDITABLE = FIELDS + RELATIONS
AUDITED = FIELDS + ["is_active", "user"]
SCOPE = ("province_code", "city_code", "county_code")  # set from the pool on save
STALE = "该专家信息已被他人修改。请刷新页面查看最新内容后再保存；您填写的内容仍保留在下方。"
FIELD_LABELS = dict(Field.choices)
MOBILE = re.compile(r"^(?:\+?86-?)?1[3-9]\d{9}$")
LANDLINE = re.compile(r"^(?:\(?0\d{2,3}\)?-?)?[2-9]\d{6,7}(?:-\d{1,6})?$")
PHONE_MESSAGE = "联系电话格式不正确：请填写 11 位手机号码，或带区号的固定电话（如 0311-87654321）。"


class StaleEditError(ValidationError):
    """The row changed since the user's form was loaded."""


# --- who keeps which pool ----------------------------------------------------------------------


def pools_for(user):
    """The pools this user keeps: the province every pool (河北省 and each city), a city its own."""
    jurisdiction = jurisdiction_of(user)
    if jurisdiction is None or not (user.has_perm(ADD) or user.has_perm(CHANGE)):
        return Region.objects.none()
    if jurisdiction.level == Region.Level.PROVINCE:
        return Region.objects.filter(level__in=(Region.Level.PROVINCE, Region.Level.CITY)).order_by("code")
    if jurisdiction.level == Region.Level.CITY:
        return Region.objects.filter(code=jurisdiction.code, level=Region.Level.CITY)
    return Region.objects.none()


def pool_label(region) -> str:
    """省级专家库, or 保定市专家库."""
    return "省级专家库" if region.level == Region.Level.PROVINCE else f"{region.name}专家库"


def can_change(user, expert: Expert) -> bool:
    """Whether the user may change this expert (for showing buttons; the services check again)."""
    return user.has_perm(CHANGE) and Expert.objects.restrict(user).filter(pk=expert.pk).exists()


def _check_pool(actor, pool) -> None:
    """The pool must be a pool (the province or a city), and one the actor keeps."""
    if pool is None:
        raise ValidationError({"pool": ["请选择所属专家库。"]})
    if pool.level not in (Region.Level.PROVINCE, Region.Level.CITY):
        raise ValidationError({"pool": [f"{pool.name}不能设专家库：专家库只设省级（河北省）和市级（设区市）。"]})
    jurisdiction = jurisdiction_of(actor)
    if jurisdiction.level == Region.Level.PROVINCE:
        return
    if jurisdiction.level != Region.Level.CITY:
        raise PermissionDenied("您无权维护专家库。")
    if pool.code == jurisdiction.code:
        return
    own = Region.objects.get(code=jurisdiction.code)
    raise ValidationError({"pool": [f"您只能维护{pool_label(own)}，不能把专家放入{pool_label(pool)}。"]})


def _lock(actor, expert) -> Expert:
    locked = (Expert.objects.restrict(actor).select_for_update(of=("self",))
              .select_related("pool", "home_region", "user").filter(pk=expert.pk).first())
    if locked is None:
        raise PermissionDenied("该专家不在您的权限范围内。")
    return locked


def _check_version(expert, expected_version) -> None:
    if expected_version is not None and expert.version != expected_version:
        raise StaleEditError(STALE)


# --- validation --------------------------------------------------------------------------------


def normalise_phone(value: str) -> str:
    """Spaces and full-width characters do not make a number different (０３１１－… = 0311-…)."""
    value = (value or "").strip()
    table = {ord(f): ord(h) for f, h in zip("０１２３４５６７８９－（）＋", "0123456789-()+")}
    return value.translate(table).replace(" ", "").replace("\u3000", "")


def field_errors(expert: Expert) -> dict[str, list[str]]:
    """The checks of one expert's own fields, without a query (the import checks every row with
    it). Strips the text fields and puts `fields` in the order of Field."""
    errors = {}
    for name in ("name", "employer", "title", "phone", "email", "note"):
        setattr(expert, name, (getattr(expert, name) or "").strip())
    expert.phone = normalise_phone(expert.phone)
    if not expert.name:
        errors["name"] = ["请填写专家姓名。"]
    if not expert.employer:
        errors["employer"] = ["请填写工作单位。"]
    if expert.phone and not (MOBILE.match(expert.phone) or LANDLINE.match(expert.phone)):
        errors["phone"] = [PHONE_MESSAGE]
    for name in ("name", "employer", "title", "phone", "email"):
        field = Expert._meta.get_field(name)
        length = len(getattr(expert, name))
        if length > field.max_length and name not in errors:
            errors[name] = [f"{field.verbose_name}不能超过 {field.max_length} 个字符（现有 {length} 个）。"]
    chosen = list(expert.fields or [])
    unknown = [str(code) for code in chosen if code not in FIELD_LABELS]
    if unknown:
        errors["fields"] = [f"专业领域“{'、'.join(unknown)}”不在可选项中（可选：{'、'.join(FIELD_LABELS.values())}）。"]
    else:
        expert.fields = [code for code in FIELD_LABELS if code in chosen]
    if expert.home_region_id is not None and expert.home_region.level == Region.Level.PROVINCE:
        errors["home_region"] = ["所在地区请选择到县（市、区）或设区市。"]
    try:
        expert.full_clean(exclude=["pool", "home_region", "user", "fields", *SCOPE],
                          validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.update_error_dict({}).items():
            errors.setdefault(name, [m for error in messages for m in ValidationError(error).messages])
    if expert.home_region_id is None:
        errors.setdefault("home_region", ["请选择所在地区。"])
    return errors


def _relation_errors(actor, data, current=None) -> dict[str, list[str]]:
    """Industries are divisions; consultancies are consultancies; an enterprise newly named as a
    conflict is one the actor may see (those already on the row stay)."""
    errors = {}
    industries = data.get("industries")
    if industries is not None:
        wrong = [str(i) for i in industries if i.level != Industry.Level.DIVISION]
        if wrong:
            errors["industries"] = [f"熟悉行业只能选择 GB/T 4754-2017 的大类（两位代码）：{'、'.join(wrong)} 不是大类。"]
    consultancies = data.get("conflict_consultancies")
    if consultancies is not None:
        wrong = [o.name for o in consultancies if o.kind != Organization.Kind.CONSULTANCY]
        if wrong:
            errors["conflict_consultancies"] = [f"“{'、'.join(wrong)}”不是咨询服务机构。"]
    enterprises = data.get("conflict_enterprises")
    if enterprises is not None:
        kept = set(current.conflict_enterprises.values_list("pk", flat=True)) if current is not None else set()
        added = {e.pk for e in enterprises} - kept
        visible = set(Enterprise.objects.restrict(actor).filter(pk__in=added).values_list("pk", flat=True))
        wrong = [e.name for e in enterprises if e.pk in added - visible]
        if wrong:
            errors["conflict_enterprises"] = [f"企业“{'、'.join(wrong)}”不在您的辖区内，不能列为回避企业。"]
    return errors


def _duplicate_error(expert) -> dict[str, list[str]]:
    others = Expert.objects.filter(pool_id=expert.pool_id, name=expert.name, employer=expert.employer)
    if expert.pk is not None:
        others = others.exclude(pk=expert.pk)
    if expert.name and expert.employer and others.exists():
        return {"name": [f"{pool_label(expert.pool)}已有工作单位为“{expert.employer}”的专家{expert.name}，请勿重复登记。"]}
    return {}


def _validate(actor, expert, data, current=None) -> None:
    errors = field_errors(expert)
    errors.update({k: v for k, v in _relation_errors(actor, data, current).items() if k not in errors})
    if "name" not in errors and "employer" not in errors:
        errors.update(_duplicate_error(expert))
    if errors:
        raise ValidationError(errors)


def _save(expert) -> None:
    try:
        with transaction.atomic():
            expert.save()
    except IntegrityError:
        raise ValidationError({"name": [f"{pool_label(expert.pool)}已有工作单位为“{expert.employer}”的专家"
                                        f"{expert.name}，请勿重复登记。"]}) from None


def _set_relations(expert, data) -> None:
    for name in RELATIONS:
        if name in data:
            getattr(expert, name).set(data[name])


def state(expert) -> dict:
    """What the audit trail keeps of an expert: its fields, and its relations by key."""
    data = snapshot(expert, AUDITED)
    data["industries"] = sorted(expert.industries.values_list("code", flat=True))
    data["conflict_consultancies"] = sorted(expert.conflict_consultancies.values_list("pk", flat=True))
    data["conflict_enterprises"] = sorted(expert.conflict_enterprises.values_list("pk", flat=True))
    return data


def _check_data(data) -> None:
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValueError(f"unknown expert fields: {sorted(unknown)}")


# --- the services ------------------------------------------------------------------------------


def create_expert(actor, **data) -> Expert:
    """登记专家 in a pool the actor keeps."""
    if not actor.has_perm(ADD):
        raise PermissionDenied("您无权新增专家。")
    _check_data(data)
    _check_pool(actor, data.get("pool"))
    with transaction.atomic():
        expert = Expert(**{k: v for k, v in data.items() if k in FIELDS})
        _validate(actor, expert, data)
        _save(expert)
        _set_relations(expert, data)
        record("expert.create", actor=actor, obj=expert, after=state(expert),
               summary=f"登记专家 {expert}（{pool_label(expert.pool)}）")
    return expert


def update_expert(actor, expert: Expert, *, expected_version: int | None = None, **data) -> Expert:
    """修改专家信息; moving an expert to another pool needs both pools to be the actor's."""
    if not actor.has_perm(CHANGE):
        raise PermissionDenied("您无权修改专家信息。")
    _check_data(data)
    with transaction.atomic():
        locked = _lock(actor, expert)
        _check_version(locked, expected_version)
        if "pool" in data and (data["pool"] is None or data["pool"].pk != locked.pool_id):
            _check_pool(actor, data["pool"])
        before = state(locked)
        for name in FIELDS:
            if name in data:
                setattr(locked, name, data[name])
        _validate(actor, locked, data, current=locked)
        _set_relations(locked, data)
        after = state(locked)
        if after == before:
            return locked
        locked.version += 1
        _save(locked)
        record("expert.update", actor=actor, obj=locked, before=before, after=after, summary=f"修改专家 {locked}")
    return locked


def set_active(actor, expert: Expert, active: bool, *, expected_version: int | None = None) -> Expert:
    """启用 (can be drawn) or 停用 (kept, with its history, but never drawn)."""
    if not actor.has_perm(CHANGE):
        raise PermissionDenied("您无权修改专家信息。")
    with transaction.atomic():
        locked = _lock(actor, expert)
        _check_version(locked, expected_version)
        if locked.is_active == active:
            return locked
        locked.is_active = active
        locked.version += 1
        locked.save(update_fields=["is_active", "version", "updated_at"])
        record("expert.activate" if active else "expert.deactivate", actor=actor, obj=locked,
               before={"is_active": not active}, after={"is_active": active},
               summary=f"{'启用' if active else '停用'}专家 {locked}")
    return locked


def expert_organization(actor, expert: Expert) -> Organization:
    """The expert's employer as an organisation of kind 专家所在单位 in the pool's region: the
    one of that exact name there, or a new one. Call inside a transaction."""
    kind = Organization.Kind.EXPERT_INSTITUTION
    organization = (Organization.objects.select_for_update().filter(kind=kind, name=expert.employer, region=expert.pool)
                    .order_by("pk").first())
    if organization is None:
        organization = Organization(kind=kind, name=expert.employer, region=expert.pool,
                                    account_code=next_account_code(ACCOUNT_PREFIX[kind]))
        organization.save()
        record("organization.create", actor=actor, obj=organization, after=snapshot(organization),
               summary=f"建立专家所在单位 {organization.name}")
    return organization


def _next_suffix(organization) -> str:
    """01, 02, …: the first number not yet used among the organisation's staff accounts."""
    prefix = f"{organization.account_code}-"
    taken = set(organization.users.filter(username__startswith=prefix).values_list("username", flat=True))
    number = len(taken) + 1
    while f"{prefix}{number:02d}" in taken:
        number += 1
    return f"{number:02d}"


def create_expert_account(actor, expert: Expert):
    """The expert's account (role 专家), a staff account of its employer's organisation.

    Returns (account, one-time password), like the enterprise account flow; the password is
    shown once and must be changed at the first sign-in. An expert has one account only.
    """
    if not actor.has_perm(CHANGE):
        raise PermissionDenied("您无权为专家创建账号。")
    with transaction.atomic():
        locked = _lock(actor, expert)
        if locked.user_id is not None:
            raise ValidationError(f"该专家已有账号 {locked.user.username}；如忘记密码，请在账号详情页重置。")
        organization = expert_organization(actor, locked)
        mobile = locked.phone if MOBILE.match(locked.phone or "") else ""
        user, password = account_services.create_account(
            actor, organization=organization, full_name=locked.name, staff_suffix=_next_suffix(organization),
            mobile=mobile, email=locked.email)
        before = state(locked)
        locked.user = user
        locked.version += 1
        locked.save(update_fields=["user", "version", "updated_at"])
        record("expert.create_account", actor=actor, obj=locked, before=before, after=state(locked),
               summary=f"为专家 {locked} 创建账号 {user.username}")
    return user, password


# --- import --------------------------------------------------------------------------------------


def apply_import(actor, rows: list[list[str]], *, filename: str = ""):
    """Write a checked expert list in one transaction. The rows are checked again against the
    pool as it is now; if that finds errors, nothing is written and the preview is returned
    (its `applied` stays False)."""
    from qingshen.experts import (
        importing,  # importing checks rows with this module's rules
    )

    if not actor.has_perm(IMPORT):
        raise PermissionDenied("您无权导入专家。")
    with transaction.atomic():
        preview = importing.Checker(actor).check(rows)
        if not preview.is_clean:
            return preview
        for row in preview.rows:
            if row.action == "create":
                create_expert(actor, **row.data)
            elif row.action == "update":
                update_expert(actor, Expert(pk=row.expert_id), **row.data)
        preview.applied = True
        record("expert.import", actor=actor, obj=None, scope=actor.organization,
               summary=f"导入专家名单 {filename}：新增 {preview.create_count} 名，更新 {preview.update_count} 名",
               after={"file": filename, "created": preview.create_count, "updated": preview.update_count})
    return preview
