"""The first sign-in forces a password change; the password rules, in Chinese; Argon2."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from rest_framework.authtoken.models import Token
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from conftest import PASSWORD, department, make_user
from qingshen.accounts import services
from qingshen.accounts.models import User
from qingshen.accounts.tests.helpers import assert_secret_nowhere, events, post_login
from qingshen.core.roles import Role

NEW_PASSWORD = "Baoding-Qingshen7"
MUST_CHANGE = "请先登录系统修改初始密码。"


@pytest.fixture
def newcomer(world):
    """A county main account just created by its city, still on its one-time password."""
    user, password = services.create_account(world.user(Role.CITY), organization=department("130607"), full_name="")
    return user, password


def change(client, old, new1, new2=None):
    return client.post("/accounts/password/", {"old_password": old, "new_password1": new1,
                                               "new_password2": new1 if new2 is None else new2})


def test_first_login_leads_to_the_password_page_and_nowhere_else(newcomer, client):
    user, password = newcomer

    response = post_login(client, user.username, password)

    assertRedirects(response, "/", fetch_redirect_response=False)
    for path in ("/", "/enterprises/", "/accounts/me/", "/audit-trail/", "/organizations/"):
        assertRedirects(client.get(path), "/accounts/password/", fetch_redirect_response=False)
    page = client.get("/accounts/password/")
    assert page.status_code == 200
    assertContains(page, "您正在使用初始密码。为保护账号安全，请先设置新密码，之后才能使用系统。")
    assert client.post(f"/accounts/organization/{user.organization_id}/staff/",
                       {"staff_suffix": "li", "full_name": "李"}).status_code == 302
    assert not User.objects.filter(username="130607-li").exists()


def test_an_account_on_its_initial_password_can_still_log_out(newcomer, client):
    user, password = newcomer
    post_login(client, user.username, password)

    response = client.post("/accounts/logout/")

    assertRedirects(response, "/accounts/login/", fetch_redirect_response=False)
    assertRedirects(client.get("/"), "/accounts/login/?next=/", fetch_redirect_response=False)
    assert [e.actor for e in events("auth.logout")] == [user]


def test_the_api_refuses_an_account_on_its_initial_password(newcomer, client):
    user, password = newcomer
    post_login(client, user.username, password)

    by_session = client.get("/api/users/me/")
    assert by_session.status_code == 403
    assert by_session.json() == {"detail": MUST_CHANGE}

    token = Token.objects.create(user=user)
    by_token = client.__class__().get("/api/users/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert by_token.status_code == 403
    assert by_token.json() == {"detail": MUST_CHANGE}
    by_token = client.__class__().get("/api/enterprises/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert by_token.status_code == 403
    assert by_token.json() == {"detail": MUST_CHANGE}


def test_after_changing_the_password_the_account_can_work(newcomer, client):
    user, password = newcomer
    post_login(client, user.username, password)

    response = change(client, password, NEW_PASSWORD)

    assertRedirects(response, "/", fetch_redirect_response=False)
    home = client.get("/")
    assert home.status_code == 200
    assertContains(home, "密码已修改。")
    assert client.get("/api/users/me/").json()["username"] == "130607"
    user.refresh_from_db()
    assert not user.must_change_password and user.password_changed_at is not None
    assert user.check_password(NEW_PASSWORD) and not user.check_password(password)
    (changed,) = events("account.change_password")
    assert changed.actor == user and changed.object_id == str(user.pk)
    assert changed.summary == "修改初始密码"
    assert changed.organization_name == "满城区生态环境分局"
    assert_secret_nowhere(NEW_PASSWORD)
    assert_secret_nowhere(password)
    # The new password signs in; the old one no longer does.
    other = client.__class__()
    assert post_login(other, "130607", password, ip="10.0.0.2").status_code == 200
    assertRedirects(post_login(other, "130607", NEW_PASSWORD, ip="10.0.0.2"), "/", fetch_redirect_response=False)
    assert other.get("/").status_code == 200


def test_a_later_change_is_recorded_as_a_plain_change(world, client):
    user = world.user(Role.COUNTY)
    client.force_login(user)

    change(client, PASSWORD, NEW_PASSWORD)

    (changed,) = events("account.change_password")
    assert changed.summary == "修改密码"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("Ab1!xyz", "此密码太短，至少要包含 10 个字符。"),
        ("kqzmvtrwpx47", "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。"),
        ("KQZMVTRWPX!!", "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。"),
        ("Xx130607!abc", "密码不能包含登录账号。"),
        ("Zz706031#qwe", "密码不能包含登录账号。"),
        ("Password123", "这个密码太常见了。"),
        ("Iloveyou123", "这个密码太常见了。"),
    ],
)
def test_password_rules_refuse_weak_passwords_in_chinese(newcomer, client, new_password, message):
    user, password = newcomer
    post_login(client, user.username, password)

    response = change(client, password, new_password)

    assert response.status_code == 200
    assertContains(response, message)
    user.refresh_from_db()
    assert user.must_change_password and user.check_password(password)
    assert not events("account.change_password")


def test_the_new_password_must_differ_from_the_current_one(world, client):
    user = world.user(Role.COUNTY)
    strong = "Zhuozhou-Branch-2024"
    user.set_password(strong)
    user.save()
    client.force_login(user)

    response = change(client, strong, strong)

    assertContains(response, "新密码不能与当前密码相同。")
    assert not events("account.change_password")


def test_the_current_password_and_the_confirmation_are_checked(newcomer, client):
    user, password = newcomer
    post_login(client, user.username, password)

    assertContains(change(client, "wrong-Password-1", NEW_PASSWORD), "当前密码不正确。")
    assertContains(change(client, password, NEW_PASSWORD, NEW_PASSWORD + "x"), "两次输入的新密码不一致。")
    user.refresh_from_db()
    assert user.must_change_password


def test_three_classes_of_four_are_enough(newcomer, client):
    user, password = newcomer
    post_login(client, user.username, password)

    response = change(client, password, "QingshenAudit7")  # no symbol

    assertRedirects(response, "/", fetch_redirect_response=False)


def test_the_rules_are_shown_with_the_form(newcomer, client):
    user, password = newcomer
    post_login(client, user.username, password)

    page = client.get("/accounts/password/")

    assertContains(page, "至少 10 个字符；包含大写字母、小写字母、数字、符号中的至少 3 类；不能包含登录账号")
    assertNotContains(page, password)


def _hashers_of(profile):
    env = {"QINGSHEN_SECRET_KEY": "x" * 64, "PATH": "/usr/bin:/bin"}
    code = f"import config.settings.{profile} as s; print(s.PASSWORD_HASHERS[0])"
    result = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


@pytest.mark.parametrize("profile", ["base", "production"])
def test_argon2_is_the_password_hasher_outside_tests(profile):
    assert _hashers_of(profile) == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_stored_passwords_are_argon2_hashes(world):
    user, password = services.create_account(world.user(Role.SYSADMIN), organization=department("130607"), full_name="")

    assert user.password.startswith("argon2$argon2id$")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert password not in user.password
    assert User.objects.get(pk=user.pk).check_password(password)
    staff = make_user("130600-hash", department("130600"), department=False)
    assert staff.password.startswith("argon2")
