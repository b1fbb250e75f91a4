"""Who may create and manage which accounts: the policy table, then the same rules through
the pages (403 for what the user sees but may not do, 404 for what is outside their
jurisdiction), and what deactivation does."""

import pytest
from django.contrib.auth.models import AnonymousUser
from pytest_django.asserts import assertContains, assertRedirects

from conftest import PASSWORD, department, make_user
from qingshen.accounts import services
from qingshen.accounts.models import User
from qingshen.accounts.policy import can_manage, can_manage_user
from qingshen.accounts.tests.helpers import events, post_login
from qingshen.core.roles import Role
from qingshen.organizations.models import Organization

PA = Organization.Kind.PERMIT_AUTHORITY


def organization(world, key):
    return {
        "province": lambda: department("130000"),
        "baoding": lambda: department("130600"),
        "shijiazhuang": lambda: department("130100"),
        "zhuozhou": lambda: department("130681"),
        "lianchi": lambda: department("130606"),
        "changan": lambda: department("130102"),
        "dingzhou": lambda: department("130682"),
        "xiongan": lambda: department("133100"),
        "rongcheng": lambda: department("130629"),
        "pa_province": lambda: department("130000", PA),
        "pa_baoding": lambda: department("130600", PA),
        "pa_zhuozhou": lambda: department("130681", PA),
        "pa_changan": lambda: department("130102", PA),
        "pa_dingzhou": lambda: department("130682", PA),
        "ent_zhuozhou": lambda: world.enterprise_org,
        "ent_lianchi": lambda: world.other_enterprise_org,
        "consultancy": lambda: world.consultancy_org,
        "expert": lambda: world.expert_org,
    }[key]()


def actor(world, key):
    if key == "city_staff":
        return make_user("130600-wang", department("130600"), department=False)
    if key == "county_staff":
        return make_user("130681-zhao", department("130681"), department=False)
    if key == "dingzhou":
        return world.dingzhou_user
    return world.user(Role(key))


# (actor, organisation, main account? (else a staff account), may create/manage it)
CAN_MANAGE = [
    # A system administrator: anything.
    ("sysadmin", "province", True, True),
    ("sysadmin", "zhuozhou", True, True),
    ("sysadmin", "ent_lianchi", True, True),
    ("sysadmin", "consultancy", True, True),
    # The province: departments and permit authorities below it and at its level, enterprises,
    # consultancies and expert institutions; staff of its own department, not its main account.
    ("province", "province", True, False),
    ("province", "province", False, True),
    ("province", "baoding", True, True),
    ("province", "zhuozhou", True, True),
    ("province", "dingzhou", True, True),
    ("province", "xiongan", True, True),
    ("province", "pa_province", True, True),
    ("province", "pa_baoding", True, True),
    ("province", "ent_zhuozhou", True, True),
    ("province", "consultancy", True, True),
    ("province", "expert", True, True),
    ("province", "expert", False, True),
    # A city (保定 130600): its counties and permit authorities, its enterprises; not another
    # city's counties, not the province, not itself, not a peer city.
    ("city", "zhuozhou", True, True),
    ("city", "lianchi", True, True),
    ("city", "zhuozhou", False, True),
    ("city", "pa_baoding", True, True),
    ("city", "pa_zhuozhou", True, True),
    ("city", "changan", True, False),
    ("city", "pa_changan", True, False),
    ("city", "shijiazhuang", True, False),
    ("city", "province", True, False),
    ("city", "pa_province", True, False),
    ("city", "dingzhou", True, False),
    ("city", "rongcheng", True, False),  # 容城县 belongs to 雄安新区, not to 保定
    ("city", "baoding", True, False),
    ("city", "baoding", False, True),
    ("city", "ent_zhuozhou", True, True),
    ("city", "ent_lianchi", True, True),
    ("city", "consultancy", True, False),
    ("city", "expert", True, False),
    # A county (涿州 130681): no department accounts at all; enterprises only in its county.
    ("county", "zhuozhou", True, False),
    ("county", "zhuozhou", False, True),
    ("county", "lianchi", True, False),
    ("county", "pa_zhuozhou", True, False),
    ("county", "baoding", True, False),
    ("county", "ent_zhuozhou", True, True),
    ("county", "ent_zhuozhou", False, True),
    ("county", "ent_lianchi", True, False),
    ("county", "consultancy", True, False),
    # 定州市 acts at city level: its own permit authority, nobody in 保定.
    ("dingzhou", "pa_dingzhou", True, True),
    ("dingzhou", "zhuozhou", True, False),
    ("dingzhou", "ent_zhuozhou", True, False),
    # Permit authorities, enterprises, consultancies: their own staff only.
    ("permit_authority", "pa_baoding", False, True),
    ("permit_authority", "pa_baoding", True, False),
    ("permit_authority", "pa_zhuozhou", True, False),
    ("permit_authority", "ent_zhuozhou", True, False),
    ("enterprise", "ent_zhuozhou", False, True),
    ("enterprise", "ent_zhuozhou", True, False),
    ("enterprise", "ent_lianchi", False, False),
    ("enterprise", "zhuozhou", False, False),
    ("consultancy", "consultancy", False, True),
    ("consultancy", "ent_zhuozhou", False, False),
    ("expert", "expert", False, False),
    # Staff act with their department's powers, but cannot add staff to their own organisation.
    ("city_staff", "baoding", False, False),
    ("city_staff", "zhuozhou", True, True),
    ("county_staff", "zhuozhou", False, False),
    ("county_staff", "ent_zhuozhou", True, True),
]


def test_can_manage(world):
    # One world for the whole table (it is read-only); every row that disagrees is reported.
    actors = {key: actor(world, key) for key in {row[0] for row in CAN_MANAGE}}
    wrong = [
        (actor_key, org_key, "main" if main else "staff", f"expected {expected}")
        for actor_key, org_key, main, expected in CAN_MANAGE
        if can_manage(actors[actor_key], organization(world, org_key), department_account=main) is not expected
    ]
    assert wrong == []


def test_anonymous_and_deactivated_users_manage_nothing(world):
    zhuozhou = department("130681")
    assert not can_manage(AnonymousUser(), zhuozhou, department_account=False)
    admin = world.user(Role.SYSADMIN)
    admin.is_active = False
    assert not can_manage(admin, zhuozhou, department_account=True)


def user(world, key):
    if key == "other_sysadmin":
        return make_user("root2", None, role=Role.SYSADMIN)
    if key in ("city_staff", "county_staff", "dingzhou"):
        return actor(world, key)
    return {"other_county": world.other_county_user, "other_city": world.other_city_user,
            "other_enterprise": world.other_enterprise_user}.get(key) or world.user(Role(key))


# (actor, target account, may reset its password / deactivate it)
CAN_MANAGE_USER = [
    ("sysadmin", "sysadmin", False),  # nobody manages themselves
    ("city", "city", False),
    ("county", "county", False),
    ("enterprise", "enterprise", False),
    ("sysadmin", "other_sysadmin", True),  # only administrators manage administrators
    ("province", "sysadmin", False),
    ("city", "sysadmin", False),
    ("sysadmin", "province", True),
    ("province", "city", True),
    ("city", "county", True),
    ("city", "other_county", True),
    ("city", "other_city", False),
    ("city", "dingzhou", False),
    ("city", "province", False),
    ("city", "permit_authority", True),
    ("county", "city", False),
    ("county", "other_county", False),
    ("county", "enterprise", True),
    ("county", "other_enterprise", False),
    ("county", "permit_authority", False),
    ("city", "city_staff", True),
    ("city_staff", "city", False),
    ("county_staff", "county", False),
    ("enterprise", "other_enterprise", False),
    ("consultancy", "enterprise", False),
    ("province", "expert", True),
    ("city", "expert", False),
]


def test_can_manage_user(world):
    users = {key: user(world, key) for key in {key for row in CAN_MANAGE_USER for key in row[:2]}}
    wrong = [
        (actor_key, target_key, f"expected {expected}")
        for actor_key, target_key, expected in CAN_MANAGE_USER
        if can_manage_user(users[actor_key], users[target_key]) is not expected
    ]
    assert wrong == []


# --- The same rules through the pages ----------------------------------------------------


# (actor, organisation, status of POST /accounts/organization/<org>/main/)
CREATE_MAIN_REFUSED = [
    ("county", "changan", 404),  # another city's county: does not exist for it
    ("county", "lianchi", 404),
    ("county", "pa_zhuozhou", 403),  # its own permit authority: visible, not its to create
    ("county", "zhuozhou", 403),  # its own main account
    ("city", "province", 404),
    ("city", "changan", 404),
    ("city", "consultancy", 403),
    ("enterprise", "ent_lianchi", 404),
    ("enterprise", "ent_zhuozhou", 403),
    ("expert", "expert", 403),
    ("permit_authority", "pa_zhuozhou", 403),
]


def test_creating_a_main_account_outside_ones_powers(world, client):
    wrong = []
    for actor_key, org_key, status in CREATE_MAIN_REFUSED:
        client.force_login(actor(world, actor_key))
        got = client.post(f"/accounts/organization/{organization(world, org_key).pk}/main/").status_code
        if got != status:
            wrong.append((actor_key, org_key, f"expected {status}, got {got}"))
    assert wrong == []
    assert not events("account.create")


def test_creating_a_main_account_needs_a_signed_in_user(world, client):
    org = department("130607")
    response = client.post(f"/accounts/organization/{org.pk}/main/")
    assertRedirects(response, f"/accounts/login/?next=/accounts/organization/{org.pk}/main/",
                    fetch_redirect_response=False)
    assert not org.users.exists()


def test_the_province_creates_the_accounts_of_a_consultancy_it_added(world, client):
    from qingshen.organizations.services import create_organization

    province = world.user(Role.PROVINCE)
    firm = create_organization(province, kind=Organization.Kind.CONSULTANCY, name="保定清源环保咨询有限公司",
                               region=department("130600").region)
    client.force_login(province)
    assertContains(client.get(f"/organizations/{firm.pk}/"), "创建单位主账号")

    response = client.post(f"/accounts/organization/{firm.pk}/main/")

    assertRedirects(response, "/accounts/initial-password/", fetch_redirect_response=False)
    account = User.objects.get(username="ZX0002")
    assert account.role == Role.CONSULTANCY and account.organization == firm and account.is_department_account


# (actor, target account, status of resetting its password and of deactivating it)
ACCOUNT_ACTION_REFUSED = [
    ("county", "city", 404),
    ("county", "other_county", 404),
    ("county", "county", 403),
    ("county", "other_enterprise", 404),
    ("city", "other_city", 404),
    ("city", "province", 404),
    ("city_staff", "city", 403),
    ("province", "sysadmin", 403),
    ("enterprise", "consultancy", 404),
    ("enterprise", "enterprise", 403),
    ("expert", "expert", 403),
]


def test_account_actions_outside_ones_powers(world, client):
    users = {key: user(world, key) for key in {key for row in ACCOUNT_ACTION_REFUSED for key in row[:2]}}
    hashes = {key: account.password for key, account in users.items()}
    wrong = []
    for actor_key, target_key, status in ACCOUNT_ACTION_REFUSED:
        target = users[target_key]
        client.force_login(users[actor_key])
        got = (client.post(f"/accounts/{target.pk}/reset-password/").status_code,
               client.post(f"/accounts/{target.pk}/active/", {"active": "0"}).status_code)
        if got != (status, status):
            wrong.append((actor_key, target_key, f"expected {status}, got {got}"))
    assert wrong == []
    for key, account in users.items():
        account.refresh_from_db()
        assert account.password == hashes[key] and account.is_active
    assert not events("account.reset_password") and not events("account.deactivate")


def test_account_actions_are_post_only(world, client):
    client.force_login(world.user(Role.CITY))
    county = world.user(Role.COUNTY)
    assert client.get(f"/accounts/{county.pk}/reset-password/").status_code == 405
    assert client.get(f"/accounts/{county.pk}/active/").status_code == 405
    assert client.get(f"/accounts/organization/{county.organization_id}/main/").status_code == 405


def test_a_deactivated_account_cannot_log_in(world, client):
    city, county = world.user(Role.CITY), world.user(Role.COUNTY)
    signed_in = client.__class__()
    signed_in.force_login(county)
    client.force_login(city)

    response = client.post(f"/accounts/{county.pk}/active/", {"active": "0"}, follow=True)

    assertContains(response, "账号 130681 已停用。")
    county.refresh_from_db()
    assert not county.is_active
    (event,) = events("account.deactivate")
    assert event.actor == city and event.before == {"is_active": True} and event.after == {"is_active": False}
    assert event.summary == "停用账号 130681"
    # Its open session ends, and the right password no longer signs in.
    assertRedirects(signed_in.get("/"), "/accounts/login/?next=/", fetch_redirect_response=False)
    refused = post_login(client.__class__(), "130681", PASSWORD)
    assert refused.status_code == 200
    assertContains(refused, "该账号已停用，请联系本单位主账号或系统管理员。")
    # A wrong password learns nothing about the account.
    wrong = post_login(client.__class__(), "130681", "Wrong-Passw0rd!")
    assertContains(wrong, "登录账号或密码不正确。连续 5 次失败，账号将被锁定 15 分钟。")

    client.post(f"/accounts/{county.pk}/active/", {"active": "1"})
    assert events("account.activate")[0].after == {"is_active": True}
    assertRedirects(post_login(client.__class__(), "130681", PASSWORD), "/", fetch_redirect_response=False)


def test_account_list_and_detail_are_scoped(world, client):
    client.force_login(world.user(Role.COUNTY))

    listing = client.get("/accounts/")
    names = {account.username for account in listing.context["object_list"]}
    assert "130681" in names and "QY1306810001" in names
    assert not names & {"130600", "130606", "130100", "QY1306060001", "admin"}
    assert client.get(f"/accounts/{world.other_county_user.pk}/").status_code == 404
    assert client.get(f"/accounts/{world.user(Role.ENTERPRISE).pk}/").status_code == 200

    client.force_login(world.user(Role.ENTERPRISE))
    names = {account.username for account in client.get("/accounts/").context["object_list"]}
    assert names == {"QY1306810001"}


def test_the_detail_page_offers_actions_only_where_allowed(world, client):
    county = world.user(Role.COUNTY)
    client.force_login(world.user(Role.CITY))
    assertContains(client.get(f"/accounts/{county.pk}/"), "重置密码")
    client.force_login(county)
    page = client.get(f"/accounts/{county.pk}/")
    assert page.status_code == 200
    assert "重置密码" not in page.content.decode()


def test_services_refuse_what_the_policy_refuses(world):
    from django.core.exceptions import PermissionDenied

    county, city = world.user(Role.COUNTY), world.user(Role.CITY)
    with pytest.raises(PermissionDenied, match="您无权重置该账号的密码。"):
        services.reset_password(county, city)
    with pytest.raises(PermissionDenied, match="您无权启用或停用该账号。"):
        services.set_active(county, county, False)
    with pytest.raises(PermissionDenied, match="您无权为该单位创建账号。"):
        services.create_account(county, organization=department("130606"), full_name="")
    with pytest.raises(PermissionDenied, match="您无权修改该账号。"):
        services.update_profile(county, city, full_name="x", mobile="", email="")
