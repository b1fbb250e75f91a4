"""Every change to an account goes through here: checked, transactional, in the audit trail.

Initial passwords are random and shown once to whoever created the account; they are never
stored in clear or written to the audit trail, and the first sign-in must replace them.
"""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qingshen.accounts import policy
from qingshen.accounts.models import User
from qingshen.core.roles import Role
from qingshen.audit_trail.services import record, snapshot
from qingshen.organizations.models import Organization

_ALPHABET = {
    "upper": "ABCDEFGHJKLMNPQRSTUVWXYZ",
    "lower": "abcdefghijkmnpqrstuvwxyz",
    "digit": "23456789",
    "symbol": "!@#$%*+-=?",
}
ACCOUNT_FIELDS = ["username", "full_name", "organization", "role", "is_department_account",
                  "mobile", "email", "is_active", "must_change_password"]


def generate_initial_password(length=14) -> str:
    """Random, unambiguous characters from all four classes (no 0/O, 1/l/I)."""
    rng = secrets.SystemRandom()
    chars = [secrets.choice(group) for group in _ALPHABET.values()]
    pool = "".join(_ALPHABET.values())
    chars += [secrets.choice(pool) for _ in range(length - len(chars))]
    rng.shuffle(chars)
    return "".join(chars)


def create_account(actor, *, organization: Organization, full_name: str, staff_suffix: str = "",
                   mobile: str = "", email: str = "", initial_password: bool = True) -> tuple[User, str | None]:
    """Create the organisation's main account (no suffix) or a staff account under it.

    Returns the account and its one-time initial password — or, with initial_password=False
    (an enterprise account whose notice letter carries an activation code), None: the account
    cannot sign in until it is activated.
    """
    department_account = not staff_suffix
    if not policy.can_manage(actor, organization, department_account=department_account):
        raise PermissionDenied("您无权为该单位创建账号。")
    username = organization.account_code if department_account else f"{organization.account_code}-{staff_suffix}"
    with transaction.atomic():
        Organization.objects.select_for_update().get(pk=organization.pk)
        if department_account and organization.users.filter(is_department_account=True).exists():
            raise ValidationError("该单位已有主账号，可重置其密码或添加工作人员账号。")
        if User.objects.filter(username=username).exists():
            raise ValidationError(f"账号 {username} 已存在。")
        password = generate_initial_password() if initial_password else None
        user = User(
            username=username,
            full_name=full_name or organization.name,
            organization=organization,
            role=organization.role,
            is_department_account=department_account,
            mobile=mobile,
            email=email,
            must_change_password=True,
            created_by=actor if actor.is_authenticated else None,
        )
        user.full_clean(exclude=["password"])
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        record("account.create", actor=actor, obj=user, after=snapshot(user, ACCOUNT_FIELDS),
               summary=f"创建账号 {username}")
    return user, password


def reset_password(actor, target: User) -> str:
    """A new one-time password; the account must change it at the next sign-in."""
    if not policy.can_manage_user(actor, target):
        raise PermissionDenied("您无权重置该账号的密码。")
    return _reissue_password(actor, target)


def _reissue_password(actor, target: User) -> str:
    from axes.utils import reset

    password = generate_initial_password()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=target.pk)
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        record("account.reset_password", actor=actor, obj=user, summary=f"重置账号 {user.username} 的密码")
    reset(username=user.username)  # a reset also lifts a lockout of that account
    return password


def create_sysadmin(username: str, full_name: str = "系统管理员") -> tuple[User, str]:
    """A system administrator, from the command line (there is no one above to create it)."""
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise ValidationError(f"账号 {username} 已存在。")
        password = generate_initial_password()
        user = User(username=username, full_name=full_name, role=Role.SYSADMIN, must_change_password=True)
        user.full_clean(exclude=["password"])
        user.set_password(password)
        user.save()
        record("account.create", obj=user, after=snapshot(user, ACCOUNT_FIELDS),
               summary=f"通过命令行创建系统管理员 {username}")
    return user, password


def reissue_sysadmin_password(user: User) -> str:
    """From the command line: a new one-time password for a system administrator."""
    if user.role != Role.SYSADMIN:
        raise PermissionDenied("只能为系统管理员在命令行重置密码。")
    return _reissue_password(None, user)


def change_password(user: User, new_password: str) -> None:
    """The user's own change (the form has checked the old password)."""
    validate_password(new_password, user)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(new_password)
        locked.must_change_password = False
        locked.password_changed_at = timezone.now()
        locked.save(update_fields=["password", "must_change_password", "password_changed_at"])
        record("account.change_password", actor=user, obj=locked,
               summary="修改初始密码" if user.must_change_password else "修改密码")
    user.password = locked.password
    user.must_change_password = False
    user.password_changed_at = locked.password_changed_at


def set_active(actor, target: User, active: bool) -> None:
    if not policy.can_manage_user(actor, target):
        raise PermissionDenied("您无权启用或停用该账号。")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=target.pk)
        if user.is_active == active:
            return
        before = snapshot(user, ["is_active"])
        user.is_active = active
        user.save(update_fields=["is_active"])
        record("account.activate" if active else "account.deactivate", actor=actor, obj=user,
               before=before, after=snapshot(user, ["is_active"]),
               summary=f"{'启用' if active else '停用'}账号 {user.username}")


def update_profile(actor, target: User, *, full_name: str, mobile: str, email: str) -> None:
    if target.pk != actor.pk and not policy.can_manage_user(actor, target):
        raise PermissionDenied("您无权修改该账号。")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=target.pk)
        before = snapshot(user, ["full_name", "mobile", "email"])
        user.full_name, user.mobile, user.email = full_name, mobile, email
        user.full_clean(exclude=["password"])
        user.save(update_fields=["full_name", "mobile", "email"])
        record("account.update", actor=actor, obj=user, before=before,
               after=snapshot(user, ["full_name", "mobile", "email"]), summary=f"修改账号 {user.username} 的信息")


def unlock(actor, *, username: str = "", ip_address: str = "") -> int:
    """Clear a sign-in lockout (django-axes) for an account or an address."""
    from axes.utils import reset

    if not actor.has_perm("accounts.unlock_account"):
        raise PermissionDenied("您无权解除登录锁定。")
    if not username and not ip_address:
        raise ValidationError("请指定要解锁的账号或 IP 地址。")
    # Each separately: given both, the account is unlocked wherever its failures came from,
    # and the address whichever accounts were tried from it (reset(username=, ip=) would
    # clear only the rows matching both).
    count = 0
    if username:
        count += reset(username=username)
    if ip_address:
        count += reset(ip=ip_address)
    record("auth.unlock", actor=actor, summary=f"解除登录锁定：{username or ip_address}",
           after={"username": username, "ip_address": ip_address, "cleared": count})
    return count


def record_token(user: User, *, created: bool) -> None:
    record("account.api_token_create" if created else "account.api_token_revoke", actor=user, obj=user,
           summary="生成 API 令牌" if created else "作废 API 令牌")
