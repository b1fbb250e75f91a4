"""`manage.py create_sysadmin`: a system administrator with a one-time password, printed once."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from pytest_django.asserts import assertRedirects

from conftest import make_user
from qingshen.accounts.models import User
from qingshen.accounts.tests.helpers import assert_secret_nowhere, events, post_login
from qingshen.core.roles import Role


def run(*args):
    out = StringIO()
    call_command("create_sysadmin", *args, stdout=out)
    text = out.getvalue()
    match = re.search(r"一次性初始密码：(\S+)", text)
    assert match, text
    return text, match.group(1)


def test_creates_a_sysadmin_and_prints_a_one_time_password(db, client):
    text, password = run("root", "--full-name", "运维管理员")

    assert "账号：root" in text and "首次登录须修改密码。" in text
    user = User.objects.get(username="root")
    assert user.role == Role.SYSADMIN and user.organization is None
    assert user.full_name == "运维管理员" and user.must_change_password
    assert user.check_password(password) and user.password.startswith("argon2")
    assert len(password) >= 14
    (created,) = events("account.create")
    assert created.object_id == str(user.pk) and created.actor is None
    assert created.summary == "通过命令行创建系统管理员 root"
    assert_secret_nowhere(password)
    # The printed password signs in, and the first sign-in leads to the password page.
    assertRedirects(post_login(client, "root", password), "/", fetch_redirect_response=False)
    assertRedirects(client.get("/"), "/accounts/password/", fetch_redirect_response=False)


def test_an_existing_name_is_refused(db):
    run("root")
    with pytest.raises(CommandError, match="账号 root 已存在。") as error:
        call_command("create_sysadmin", "root", stdout=StringIO())
    assert error.value.returncode == 1
    assert len(events("account.create")) == 1


def test_reset_issues_a_new_one_time_password(db, client):
    _, first = run("root")
    for i in range(5):
        post_login(client, "root", f"wrong-{i}", ip=f"10.0.1.{i}")

    text, second = run("root", "--reset")

    assert second != first
    user = User.objects.get(username="root")
    assert user.check_password(second) and not user.check_password(first)
    assert user.must_change_password
    (reset,) = events("account.reset_password")
    assert reset.actor is None and reset.object_id == str(user.pk)
    assert_secret_nowhere(second)
    # The reset also lifted the lockout the failures had caused.
    assertRedirects(post_login(client, "root", second, ip="10.0.1.1"), "/", fetch_redirect_response=False)


def test_reset_is_only_for_existing_sysadmins(db):
    make_user("130600", None, role=Role.CITY)
    with pytest.raises(CommandError, match="账号 nobody 不存在。"):
        call_command("create_sysadmin", "nobody", "--reset", stdout=StringIO())
    with pytest.raises(CommandError, match="只能为系统管理员在命令行重置密码。"):
        call_command("create_sysadmin", "130600", "--reset", stdout=StringIO())
    assert not events("account.reset_password")


def test_a_bad_account_name_is_refused(db):
    with pytest.raises(CommandError, match="账号只能包含字母、数字"):
        call_command("create_sysadmin", "a b", stdout=StringIO())
    assert not User.objects.exists()
