"""API tokens: created on 我的账号, shown once, usable with TokenAuthentication, revocable,
and both in the audit trail."""

import re

from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects
from rest_framework.authtoken.models import Token

from qingshen.accounts.tests.helpers import events
from qingshen.core.roles import Role


def api(path, key):
    return Client().get(path, HTTP_AUTHORIZATION=f"Token {key}")


def create_token(client):
    response = client.post("/accounts/me/token/")
    assert response.status_code == 200
    match = re.search(r'id="api-token">([0-9a-f]{40})<', response.content.decode())
    assert match, "the new token is not shown"
    assertContains(response, "它只显示这一次，请立即妥善保存")
    return match.group(1)


def test_a_token_is_shown_once_and_authenticates_the_api(world, client):
    county = world.user(Role.COUNTY)
    client.force_login(county)

    key = create_token(client)

    assert Token.objects.get(user=county).key == key
    me = api("/api/users/me/", key)
    assert me.status_code == 200
    assert me.json()["username"] == "130681"
    assert me.json()["organization_name"] == "涿州市生态环境分局"
    enterprises = api("/api/enterprises/", key).json()["results"]
    assert {row["name"] for row in enterprises} == {"涿州测试企业"}
    profile = client.get("/accounts/me/")
    assertNotContains(profile, key)
    assertContains(profile, "重新生成令牌")
    (created,) = events("account.api_token_create")
    assert created.actor == county and created.summary == "生成 API 令牌"
    assert key not in str(created.after) and key not in created.summary


def test_a_new_token_replaces_the_old_one(world, client):
    client.force_login(world.user(Role.CITY))
    old = create_token(client)

    new = create_token(client)

    assert new != old
    assert api("/api/users/me/", old).status_code == 401
    assert api("/api/users/me/", new).status_code == 200
    assert len(events("account.api_token_create")) == 2


def test_revoking_a_token(world, client):
    city = world.user(Role.CITY)
    client.force_login(city)
    key = create_token(client)

    response = client.post("/accounts/me/token/", {"revoke": "1"})

    assertRedirects(response, "/accounts/me/", fetch_redirect_response=False)
    assertContains(client.get("/accounts/me/"), "API 令牌已作废。")
    assert not Token.objects.filter(user=city).exists()
    assert api("/api/users/me/", key).status_code == 401
    (revoked,) = events("account.api_token_revoke")
    assert revoked.actor == city and revoked.summary == "作废 API 令牌"


def test_a_wrong_token_is_refused(world):
    assert api("/api/users/me/", "0" * 40).status_code == 401


def test_a_token_sees_only_what_its_account_may_see(world, client):
    client.force_login(world.user(Role.ENTERPRISE))
    key = create_token(client)

    assert api("/api/users/", key).json()["count"] == 1
    assert api("/api/events/", key).status_code == 403
    assert api(f"/api/users/{world.other_enterprise_user.pk}/", key).status_code == 404


def test_a_deactivated_accounts_token_stops_working(world, client):
    county = world.user(Role.COUNTY)
    client.force_login(county)
    key = create_token(client)
    county.is_active = False
    county.save()

    assert api("/api/users/me/", key).status_code == 401


def test_token_page_needs_a_signed_in_user(client):
    assertRedirects(client.post("/accounts/me/token/"), "/accounts/login/?next=/accounts/me/token/",
                    fetch_redirect_response=False)
    assert client.get("/accounts/me/token/").status_code == 302
