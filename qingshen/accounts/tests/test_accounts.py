"""Department accounts named by region code, staff accounts beneath a main account, random
one-time initial passwords shown once, and the person behind every action."""

import string

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from conftest import department, make_user
from qingshen.accounts import services
from qingshen.accounts.models import User
from qingshen.accounts.tests.helpers import assert_secret_nowhere, events, post_login, shown_password
from qingshen.core.roles import Role
from qingshen.organizations.models import Organization

ONCE_GONE = "初始密码只显示一次，已不能再次查看。"


def test_department_main_account_is_named_by_region_code(db):
    admin = make_user("root", None, role=Role.SYSADMIN)
    baoding = department("130600")

    user, password = services.create_account(admin, organization=baoding, full_name="")

    assert user.username == "130600"
    assert user.full_name == "保定市生态环境局"
    assert user.role == Role.CITY
    assert user.is_department_account and user.must_change_password
    assert (user.province_code, user.city_code, user.county_code) == ("130000", "130600", "")
    assert user.check_password(password)


def test_city_creates_a_county_main_account_and_sees_its_password_once(world, client):
    city = world.user(Role.CITY)
    mancheng = department("130607")
    client.force_login(city)

    response = client.post(f"/accounts/organization/{mancheng.pk}/main/")

    assertRedirects(response, "/accounts/initial-password/", fetch_redirect_response=False)
    account = User.objects.get(username="130607")
    assert account.organization == mancheng
    assert account.role == Role.COUNTY and account.is_department_account
    assert account.created_by == city and account.must_change_password
    page = client.get("/accounts/initial-password/")
    assertContains(page, "账号已创建")
    assertContains(page, "130607")
    password = shown_password(page)
    assert account.check_password(password)
    # A reload shows it no more, and it is kept nowhere.
    again = client.get("/accounts/initial-password/")
    assertContains(again, ONCE_GONE)
    assertNotContains(again, password)
    assert_secret_nowhere(password)
    assert password not in account.password


def test_an_organisation_has_one_main_account(world, client):
    client.force_login(world.user(Role.CITY))
    lianchi = department("130606")  # 130606 already has its main account in the world

    response = client.post(f"/accounts/organization/{lianchi.pk}/main/", follow=True)

    assertContains(response, "该单位已有主账号，可重置其密码或添加工作人员账号。")
    assert lianchi.users.filter(is_department_account=True).count() == 1


def test_main_account_adds_named_staff_beneath_it(world, client):
    city = world.user(Role.CITY)
    city.full_name = "李局长"
    city.save()
    org = city.organization
    client.force_login(city)

    form = client.get(f"/accounts/organization/{org.pk}/staff/")
    assertContains(form, "130600-后缀")
    response = client.post(f"/accounts/organization/{org.pk}/staff/",
                           {"staff_suffix": "zhangsan", "full_name": "张三", "mobile": "13800000000"})

    assertRedirects(response, "/accounts/initial-password/", fetch_redirect_response=False)
    staff = User.objects.get(username="130600-zhangsan")
    assert staff.organization == org and staff.role == Role.CITY
    assert not staff.is_department_account and staff.must_change_password
    assert staff.full_name == "张三" and staff.created_by == city
    assertContains(client.get("/accounts/initial-password/"), "工作人员账号已创建")
    (created,) = events("account.create")
    assert created.actor == city
    assert created.actor_name == "李局长（130600）"
    assert created.organization == org and created.organization_name == "保定市生态环境局"
    assert created.object_id == str(staff.pk) and created.after["username"] == "130600-zhangsan"
    assert "password" not in created.after

    duplicate = client.post(f"/accounts/organization/{org.pk}/staff/", {"staff_suffix": "zhangsan", "full_name": "张三"})
    assert duplicate.status_code == 200
    assertContains(duplicate, "账号 130600-zhangsan 已存在。")


def test_staff_cannot_add_staff(world, client):
    org = department("130600")
    staff = make_user("130600-wang", org, department=False)
    client.force_login(staff)

    assert client.get(f"/accounts/organization/{org.pk}/staff/").status_code == 403
    response = client.post(f"/accounts/organization/{org.pk}/staff/", {"staff_suffix": "zhao", "full_name": "赵"})
    assert response.status_code == 403
    assert not User.objects.filter(username="130600-zhao").exists()
    with pytest.raises(PermissionDenied, match="您无权为该单位创建账号。"):
        services.create_account(staff, organization=org, full_name="赵", staff_suffix="zhao")


def test_staff_suffix_must_be_a_valid_account_name(world, client):
    org = department("130600")
    client.force_login(world.user(Role.CITY))

    response = client.post(f"/accounts/organization/{org.pk}/staff/", {"staff_suffix": "张 三", "full_name": "张三"})

    assertContains(response, "账号只能包含字母、数字、下划线、点和短横线，3–40 个字符，并以字母或数字开头。")
    assert not User.objects.filter(username__startswith="130600-").exists()


def test_every_action_records_the_person_who_did_it(world, client):
    """A county's staff member creates nothing in the main account's name: the event names them."""
    county = world.user(Role.COUNTY)
    staff, _ = services.create_account(county, organization=county.organization, full_name="王五", staff_suffix="wangwu")
    staff.must_change_password = False
    staff.save()
    client.force_login(staff)

    response = client.post(f"/accounts/{world.user(Role.ENTERPRISE).pk}/reset-password/")

    assertRedirects(response, "/accounts/initial-password/", fetch_redirect_response=False)
    (reset,) = events("account.reset_password")
    assert reset.actor == staff
    assert reset.actor_name == "王五（130681-wangwu）"
    assert reset.organization == county.organization
    assert reset.organization_name == "涿州市生态环境分局"
    assert reset.object_repr == str(world.user(Role.ENTERPRISE))


def test_initial_passwords_are_random_strong_and_different_each_time():
    passwords = [services.generate_initial_password() for _ in range(200)]

    assert len(set(passwords)) == 200
    for password in passwords:
        assert len(password) >= 14
        assert any(c in string.ascii_uppercase for c in password)
        assert any(c in string.ascii_lowercase for c in password)
        assert any(c in string.digits for c in password)
        assert any(c in string.punctuation for c in password)
        assert password != "QjscUser.6"


def test_no_shared_default_password(world):
    admin = world.user(Role.SYSADMIN)
    one, first = services.create_account(admin, organization=department("130607"), full_name="")
    two, second = services.create_account(admin, organization=department("130608"), full_name="")

    assert first != second
    assert not one.check_password(second) and not two.check_password(first)
    for password in (first, second):
        assert_secret_nowhere(password)


def test_reset_issues_a_new_one_time_password(world, client):
    county = world.user(Role.COUNTY)
    county.must_change_password = False
    county.save()
    client.force_login(world.user(Role.CITY))

    response = client.post(f"/accounts/{county.pk}/reset-password/")

    assertRedirects(response, "/accounts/initial-password/", fetch_redirect_response=False)
    page = client.get("/accounts/initial-password/")
    assertContains(page, "密码已重置")
    password = shown_password(page)
    county.refresh_from_db()
    assert county.check_password(password)
    assert county.must_change_password
    assert not county.check_password("Test-Passw0rd!")
    assert_secret_nowhere(password)
    second = services.reset_password(world.user(Role.CITY), county)
    assert second != password
    assert [e.actor for e in events("account.reset_password")] == [world.user(Role.CITY)] * 2


def test_the_old_password_stops_working_after_a_reset(world, client):
    county = world.user(Role.COUNTY)
    services.reset_password(world.user(Role.CITY), county)

    response = post_login(client, "130681", "Test-Passw0rd!")

    assert response.status_code == 200
    assertContains(response, "登录账号或密码不正确。连续 5 次失败，账号将被锁定 15 分钟。")


def test_create_account_refuses_a_bad_account_name(world):
    odd = Organization.objects.create(kind=Organization.Kind.CONSULTANCY, name="某公司", account_code="ZX 9",
                                      region=department("130600").region)

    with pytest.raises(ValidationError):
        services.create_account(world.user(Role.SYSADMIN), organization=odd, full_name="")
    assert not User.objects.filter(organization=odd).exists()
