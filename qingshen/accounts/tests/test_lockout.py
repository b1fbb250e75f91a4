"""Lockout after repeated failures (django-axes), per account and per address; the Chinese
locked-out page; the administrators' unlock page; and every sign-in event in the audit trail."""

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects, assertTemplateUsed

from conftest import PASSWORD
from qingshen.accounts import services
from qingshen.accounts.tests.helpers import events, post_login, shown_password
from qingshen.core.roles import Role

WRONG = "登录账号或密码不正确。连续 5 次失败，账号将被锁定 15 分钟。"
LOCKED = "由于连续多次登录失败，该账号或您所在的网络地址已被锁定 15 分钟。"
LOCKED_STATUS = 429  # what django-axes returns (AXES_HTTP_RESPONSE_CODE's default)


def fail_from_five_addresses(client, username):
    """Five wrong passwords for one account, each from a different address."""
    return [post_login(client, username, f"wrong-{i}", ip=f"10.1.0.{i}") for i in range(1, 6)]


def signed_in(client):
    return "_auth_user_id" in client.session


def test_five_failures_for_one_account_lock_it_even_from_different_addresses(world, client):
    responses = fail_from_five_addresses(client, "130681")

    for response in responses[:4]:
        assert response.status_code == 200
        assertContains(response, WRONG)
    locked = responses[4]
    assert locked.status_code == LOCKED_STATUS
    assertTemplateUsed(locked, "accounts/locked_out.html")
    assertContains(locked, "登录已被锁定", status_code=LOCKED_STATUS)
    assertContains(locked, LOCKED, status_code=LOCKED_STATUS)
    assertContains(locked, "请稍后再试；如需立即解锁，请联系系统管理员。", status_code=LOCKED_STATUS)


def test_a_locked_account_cannot_log_in_even_with_the_right_password(world, client):
    fail_from_five_addresses(client, "130681")

    response = post_login(client, "130681", PASSWORD, ip="10.2.0.1")

    assert response.status_code == LOCKED_STATUS
    assertContains(response, LOCKED, status_code=LOCKED_STATUS)
    assert not signed_in(client)
    assert not events("auth.login")
    # Other accounts, from other addresses, are not affected.
    assertRedirects(post_login(client, "130606", PASSWORD, ip="10.2.0.2"), "/", fetch_redirect_response=False)


def test_five_failures_from_one_address_lock_that_address_for_every_account(world, client):
    names = ["130681", "130606", "130600", "nobody", "130000"]
    responses = [post_login(client, name, "wrong-password", ip="10.3.0.7") for name in names]

    assert [r.status_code for r in responses] == [200, 200, 200, 200, LOCKED_STATUS]
    # Right password, untouched account, same address: still locked.
    response = post_login(client, "130682", PASSWORD, ip="10.3.0.7")
    assert response.status_code == LOCKED_STATUS
    assert not signed_in(client)
    # The same account from another address signs in.
    assertRedirects(post_login(client, "130682", PASSWORD, ip="10.3.0.8"), "/", fetch_redirect_response=False)
    assert signed_in(client)


def test_sign_ins_failures_and_lockouts_are_in_the_audit_trail(world, client):
    county = world.user(Role.COUNTY)
    assertRedirects(post_login(client, "130681", PASSWORD, ip="10.4.0.1"), "/", fetch_redirect_response=False)
    client.post("/accounts/logout/")
    fail_from_five_addresses(client, "130606")

    (login,) = events("auth.login")
    assert login.actor == county and login.object_id == str(county.pk)
    assert login.ip_address == "10.4.0.1"
    assert login.organization_name == "涿州市生态环境分局"
    failures = events("auth.login_failed")
    assert len(failures) == 5
    assert {f.after["username"] for f in failures} == {"130606"}
    assert [f.ip_address for f in failures] == [f"10.1.0.{i}" for i in range(1, 6)]
    assert all(f.summary == "登录失败：130606" for f in failures)
    (lockout,) = events("auth.lockout")
    assert lockout.after == {"username": "130606", "ip_address": "10.1.0.5"}
    assert "多次登录失败，已锁定：130606" in lockout.summary
    for event in failures + [lockout]:
        assert "wrong-" not in str(event.after) and "wrong-" not in event.summary


def test_the_lockout_page_lists_locked_accounts_and_addresses(world, client):
    fail_from_five_addresses(client, "130681")
    for name in ("a1", "a2", "a3", "a4", "a5"):
        post_login(client, name, "wrong-password", ip="10.5.0.9")
    client.force_login(world.user(Role.SYSADMIN))

    page = client.get("/accounts/lockouts/")

    assert page.status_code == 200
    assert [row["username"] for row in page.context["locked_accounts"]] == ["130681"]
    assert page.context["locked_accounts"][0]["failures"] == 5
    assert [row["ip_address"] for row in page.context["locked_addresses"]] == ["10.5.0.9"]
    assertContains(page, "已锁定的账号")
    assertContains(page, '<input type="hidden" name="username" value="130681">', html=True)
    assertContains(page, '<input type="hidden" name="ip_address" value="10.5.0.9">', html=True)
    # Every failure row of a locked account or address says so, though each row alone has one failure.
    assertContains(page, '<span class="text-danger">已锁定</span>', count=10)


def test_the_lockout_page_is_for_administrators_only(world, client):
    for role in (Role.PROVINCE, Role.CITY, Role.COUNTY, Role.ENTERPRISE):
        client.force_login(world.user(role))
        assert client.get("/accounts/lockouts/").status_code == 403
        assert client.post("/accounts/lockouts/", {"username": "130681"}).status_code == 403
    client.logout()
    assertRedirects(client.get("/accounts/lockouts/"), "/accounts/login/?next=/accounts/lockouts/",
                    fetch_redirect_response=False)
    with pytest.raises(PermissionDenied, match="您无权解除登录锁定。"):
        services.unlock(world.user(Role.PROVINCE), username="130681")
    assert not events("auth.unlock")


def test_an_administrator_unlocks_an_account(world, client):
    admin = world.user(Role.SYSADMIN)
    fail_from_five_addresses(client, "130681")
    client.force_login(admin)

    response = client.post("/accounts/lockouts/", {"username": "130681"}, follow=True)

    assertContains(response, "已解除锁定（清除 5 条失败记录）。")
    assert response.context["locked_accounts"] == []
    (unlock,) = events("auth.unlock")
    assert unlock.actor == admin
    assert unlock.after == {"username": "130681", "ip_address": "", "cleared": 5}
    assert unlock.summary == "解除登录锁定：130681"
    client.logout()
    assertRedirects(post_login(client, "130681", PASSWORD, ip="10.1.0.1"), "/", fetch_redirect_response=False)


def test_an_administrator_unlocks_an_address(world, client):
    for name in ("a1", "a2", "a3", "a4", "a5"):
        post_login(client, name, "wrong-password", ip="10.6.0.1")
    assert post_login(client, "130681", PASSWORD, ip="10.6.0.1").status_code == LOCKED_STATUS
    client.force_login(world.user(Role.SYSADMIN))

    response = client.post("/accounts/lockouts/", {"ip_address": "10.6.0.1"}, follow=True)

    assertContains(response, "已解除锁定（清除 6 条失败记录）。")
    (unlock,) = events("auth.unlock")
    assert unlock.after["ip_address"] == "10.6.0.1"
    client.logout()
    assertRedirects(post_login(client, "130681", PASSWORD, ip="10.6.0.1"), "/", fetch_redirect_response=False)


def test_unlocking_an_account_and_an_address_together_clears_both(world, client):
    admin = world.user(Role.SYSADMIN)
    fail_from_five_addresses(client, "130681")
    for name in ("a1", "a2", "a3", "a4", "a5"):
        post_login(client, name, "wrong-password", ip="10.7.0.1")

    cleared = services.unlock(admin, username="130681", ip_address="10.7.0.1")

    assert cleared == 10
    assert not AccessAttempt.objects.exists()


def test_the_unlock_form_needs_an_account_or_an_address(world, client):
    client.force_login(world.user(Role.SYSADMIN))

    response = client.post("/accounts/lockouts/", {"username": "", "ip_address": ""})

    assertContains(response, "请指定要解锁的账号或 IP 地址。")
    assertContains(client.post("/accounts/lockouts/", {"ip_address": "not-an-ip"}), "输入一个有效的 IPv4 或 IPv6 地址。")
    assert not events("auth.unlock")


def test_resetting_a_password_lifts_the_account_lockout(world, client):
    fail_from_five_addresses(client, "130681")
    client.force_login(world.user(Role.CITY))
    client.post(f"/accounts/{world.user(Role.COUNTY).pk}/reset-password/")
    password = shown_password(client.get("/accounts/initial-password/"))
    client.logout()

    response = post_login(client, "130681", password, ip="10.1.0.1")

    assertRedirects(response, "/", fetch_redirect_response=False)
    assertRedirects(client.get("/"), "/accounts/password/", fetch_redirect_response=False)
    assertNotContains(client.get("/accounts/password/"), LOCKED)


def test_a_successful_login_clears_that_accounts_earlier_failures(world, client):
    for i in range(4):
        post_login(client, "130681", f"wrong-{i}", ip="10.8.0.1")
    assertRedirects(post_login(client, "130681", PASSWORD, ip="10.8.0.1"), "/", fetch_redirect_response=False)
    client.post("/accounts/logout/")

    # Four more failures do not lock: the count started again.
    responses = [post_login(client, "130681", f"again-{i}", ip="10.8.0.1") for i in range(4)]

    assert [r.status_code for r in responses] == [200] * 4


def test_signing_in_to_another_account_does_not_reset_a_victims_failures(world, client):
    for _ in range(3):
        for i in range(4):
            post_login(client, "130600", f"guess-{i}", ip="10.9.9.9")
        post_login(client, "QY1306810001", PASSWORD, ip="10.9.9.9")
        client.post("/accounts/logout/")

    # Twelve wrong passwords for 130600: it must be locked.
    assert post_login(client, "130600", PASSWORD, ip="10.9.9.10").status_code == LOCKED_STATUS


def test_an_unknown_account_name_is_not_written_to_the_audit_trail(world, client):
    """What is typed into the account box may be a password typed in the wrong place."""
    from qingshen.audit_trail.models import Event

    post_login(client, "MySecret-Passw0rd", "whatever", ip="10.7.7.7")
    event = Event.objects.filter(action="auth.login_failed").latest("seq")
    assert "MySecret" not in event.summary and "MySecret" not in str(event.after)
    assert event.after == {"username": "（不存在的账号）"}
