"""/api/enterprises/: session and token authentication, jurisdiction, writes through the services."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.enterprises.models import Enterprise
from qingshen.enterprises.tests.helpers import FAKE_USCC_1, FAKE_USCC_2

URL = "/api/enterprises/"


def api_as(user):
    client = APIClient()
    client.force_login(user)  # a browser session
    return client


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def names(response):
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


ALL_FOUR = {"涿州测试企业", "莲池测试企业", "长安测试企业", "定州测试企业"}


@pytest.mark.parametrize("role, expected", [
    (Role.PROVINCE, ALL_FOUR),
    (Role.SYSADMIN, ALL_FOUR),
    (Role.CITY, {"涿州测试企业", "莲池测试企业"}),
    (Role.PERMIT_AUTHORITY, {"涿州测试企业", "莲池测试企业"}),
    (Role.COUNTY, {"涿州测试企业"}),
    (Role.ENTERPRISE, {"涿州测试企业"}),
    (Role.CONSULTANCY, {"涿州测试企业"}),
])
def test_list_is_scoped_by_role_with_session_and_with_token(world, role, expected):
    assert names(api_as(world.user(role)).get(URL)) == expected
    assert names(token_client(world.user(role)).get(URL)) == expected


def test_other_users_of_the_same_level_see_their_own_rows(world):
    assert names(token_client(world.other_city_user).get(URL)) == {"长安测试企业"}
    assert names(token_client(world.other_county_user).get(URL)) == {"莲池测试企业"}
    assert names(token_client(world.dingzhou_user).get(URL)) == {"定州测试企业"}


def test_expert_has_no_registry_access(world):
    response = token_client(world.user(Role.EXPERT)).get(URL)
    assert response.status_code == 403
    assert response.json()["detail"] == "您没有执行该操作的权限。"


def test_anonymous_and_bad_tokens_get_401(world):
    response = APIClient().get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert bad.get(URL).status_code == 401


def test_account_still_on_its_initial_password_is_refused(world):
    county = world.user(Role.COUNTY)
    county.must_change_password = True
    county.save(update_fields=["must_change_password"])
    response = token_client(county).get(URL)
    assert response.status_code == 403
    assert response.json()["detail"] == "请先登录系统修改初始密码。"


def test_retrieve_outside_the_jurisdiction_is_404(world):
    client = token_client(world.user(Role.COUNTY))
    assert client.get(f"{URL}{world.e_zhuozhou.pk}/").json()["county_code"] == "130681"
    assert client.get(f"{URL}{world.e_lianchi.pk}/").status_code == 404


def test_api_filters_are_the_list_filters(world):
    Enterprise.objects.filter(pk=world.e_lianchi.pk).update(double_exceed=True)
    client = token_client(world.user(Role.PROVINCE))
    assert names(client.get(URL, {"double_exceed": "true"})) == {"莲池测试企业"}
    assert names(client.get(URL, {"region": "130102"})) == {"长安测试企业"}
    assert names(token_client(world.user(Role.COUNTY)).get(URL, {"q": "测试企业"})) == {"涿州测试企业"}


def test_create_goes_through_the_service_and_is_in_the_trail(world):
    response = token_client(world.user(Role.COUNTY)).post(URL, {
        "name": "接口新增测试企业", "region": "130681", "uscc": FAKE_USCC_1.lower(), "industry": "1522",
        "double_toxic": True, "county_code": "130606",  # read-only: ignored
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["uscc"], body["county_code"], body["version"], body["region_name"]) == (FAKE_USCC_1, "130681", 1, "涿州市")
    enterprise = Enterprise.objects.get(pk=body["id"])
    event = Event.objects.for_object(enterprise).get()
    assert event.action == "enterprise.create" and event.actor == world.user(Role.COUNTY)
    assert event.after["double_toxic"] is True


def test_create_outside_the_jurisdiction_is_403(world):
    response = token_client(world.user(Role.COUNTY)).post(URL, {"name": "接口越界测试企业", "region": "130606"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "莲池区不在您的辖区内。"
    assert not Enterprise.objects.filter(name="接口越界测试企业").exists()


def test_create_with_invalid_or_taken_values_is_400_in_chinese(world):
    client = token_client(world.user(Role.COUNTY))
    bad_code = client.post(URL, {"name": "接口错码测试企业", "region": "130681", "uscc": "91130681MA00000017"}, format="json")
    assert bad_code.status_code == 400
    assert bad_code.json()["uscc"] == ["统一社会信用代码校验位错误，请核对。"]
    taken_name = client.post(URL, {"name": "涿州测试企业", "region": "130681"}, format="json")
    assert taken_name.status_code == 400
    assert taken_name.json() == {"name": ["涿州市已有名为“涿州测试企业”的企业。"]}
    Enterprise.objects.filter(pk=world.e_changan.pk).update(uscc=FAKE_USCC_2)
    taken_code = client.post(URL, {"name": "接口重码测试企业", "region": "130681", "uscc": FAKE_USCC_2}, format="json")
    assert taken_code.status_code == 400
    assert taken_code.json() == {"uscc": ["该统一社会信用代码已登记在其他企业名下，请核实。"]}
    assert Enterprise.objects.count() == 4
    assert not Event.objects.filter(action__startswith="enterprise.").exists()


def test_update_with_the_current_version_is_saved_and_recorded(world):
    client = token_client(world.user(Role.COUNTY))
    response = client.patch(f"{URL}{world.e_zhuozhou.pk}/", {"address": "接口地址 1 号", "version": 1}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    event = Event.objects.for_object(world.e_zhuozhou).get()
    assert event.action == "enterprise.update"
    assert event.changes() == [("address", "", "接口地址 1 号")]


def test_update_with_an_old_version_is_400_on_version_and_writes_nothing(world):
    client = token_client(world.user(Role.COUNTY))
    client.patch(f"{URL}{world.e_zhuozhou.pk}/", {"address": "先到的修改", "version": 1}, format="json")
    response = client.patch(f"{URL}{world.e_zhuozhou.pk}/", {"address": "后到的修改", "version": 1}, format="json")
    assert response.status_code == 400
    assert response.json() == {"version": ["该企业信息已被他人修改。请刷新页面查看最新内容后再保存；您填写的内容仍保留在下方。"]}
    world.e_zhuozhou.refresh_from_db()
    assert (world.e_zhuozhou.address, world.e_zhuozhou.version) == ("先到的修改", 2)
    assert Event.objects.filter(action="enterprise.update").count() == 1


def test_update_outside_the_jurisdiction_or_without_permission_is_refused(world):
    county = token_client(world.user(Role.COUNTY))
    assert county.patch(f"{URL}{world.e_lianchi.pk}/", {"address": "x"}, format="json").status_code == 404
    moved = county.patch(f"{URL}{world.e_zhuozhou.pk}/", {"region": "130606"}, format="json")
    assert moved.status_code == 403 and moved.json()["detail"] == "莲池区不在您的辖区内。"
    own = token_client(world.user(Role.ENTERPRISE)).patch(f"{URL}{world.e_zhuozhou.pk}/", {"address": "x"}, format="json")
    assert own.status_code == 403
    world.e_zhuozhou.refresh_from_db()
    assert (world.e_zhuozhou.region_id, world.e_zhuozhou.address) == ("130681", "")


def test_put_replaces_through_the_service(world):
    response = api_as(world.user(Role.CITY)).put(f"{URL}{world.e_zhuozhou.pk}/", {
        "name": "涿州测试企业", "region": "130606", "status": "suspended", "version": 1,
    }, format="json")
    assert response.status_code == 200, response.content
    world.e_zhuozhou.refresh_from_db()
    assert (world.e_zhuozhou.county_code, world.e_zhuozhou.status, world.e_zhuozhou.version) == ("130606", "suspended", 2)


def test_there_is_no_delete(world):
    for client in (token_client(world.user(Role.PROVINCE)), api_as(world.user(Role.COUNTY))):
        assert client.delete(f"{URL}{world.e_zhuozhou.pk}/").status_code == 405
    assert Enterprise.objects.filter(pk=world.e_zhuozhou.pk).exists()
