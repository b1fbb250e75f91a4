"""The demo the README's run command loads."""

import pytest
from django.core.management import call_command

from qingshen.accounts.models import User
from qingshen.audit_trail.verify import verify_chain
from qingshen.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def test_load_demo_loads_the_seed_campaign_and_accounts(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert Enterprise.objects.count() == 77
    assert Enterprise.objects.filter(region_id="130681").count() == 17  # 涿州市
    assert Enterprise.objects.filter(region_id="130672").count() == 8  # 保定白沟新城
    for username in ("admin", "130000", "130600", "130681", "130671", "130672"):
        user = User.objects.get(username=username)
        assert user.must_change_password
        assert username in out
    enterprise_account = User.objects.get(organization__enterprise__name="保定市高新区华星电镀厂")
    assert enterprise_account.username.startswith("QY130671")
    assert "首次登录须修改初始密码" in out
    assert verify_chain().ok


def test_load_demo_twice_changes_nothing_and_keeps_passwords(capsys):
    call_command("load_demo")
    hashes = dict(User.objects.values_list("username", "password"))
    capsys.readouterr()
    call_command("load_demo")
    out = capsys.readouterr().out
    assert Enterprise.objects.count() == 77
    assert dict(User.objects.values_list("username", "password")) == hashes
    assert "沿用已设置的密码" in out


def test_reset_passwords_issues_new_ones(capsys):
    call_command("load_demo")
    before = User.objects.get(username="130681").password
    call_command("load_demo", reset_passwords=True)
    assert User.objects.get(username="130681").password != before
