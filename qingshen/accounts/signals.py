"""Sign-ins, failures and lockouts go to the audit trail."""

from axes.signals import user_locked_out
from axes.utils import reset
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from qingshen.accounts.models import User
from qingshen.audit_trail.services import record


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record("auth.login", actor=user, obj=user, summary="登录成功")
    reset(username=user.username)  # this account's own failures only (see AXES_RESET_ON_SUCCESS)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record("auth.logout", actor=user, obj=user, summary="退出登录")


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    """An unknown account name is not written down: it may be a password typed in the wrong box."""
    username = _known((credentials or {}).get("username", ""))
    record("auth.login_failed", summary=f"登录失败：{username}"[:300], after={"username": username})


@receiver(user_locked_out)
def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    username = _known(username or "")
    record("auth.lockout", summary=f"多次登录失败，已锁定：{username or ''} {ip_address or ''}".strip(),
           after={"username": username, "ip_address": ip_address})


def _known(typed: str) -> str:
    return typed if typed and User.objects.filter(username=typed).exists() else "（不存在的账号）"
