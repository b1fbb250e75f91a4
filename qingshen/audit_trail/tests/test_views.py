"""The history page of an object and the event list (page and API), each within the
official's jurisdiction."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from qingshen.audit_trail.services import record
from qingshen.core.roles import Role
from qingshen.enterprises.services import update_enterprise


@pytest.fixture
def changes(world):
    """One recorded change to an enterprise in each of 涿州, 莲池 and 长安."""
    update_enterprise(world.user(Role.COUNTY), world.e_zhuozhou, employees=120, double_exceed=True)
    update_enterprise(world.user(Role.CITY), world.e_lianchi, employees=45)
    update_enterprise(world.user(Role.PROVINCE), world.e_changan, employees=300)
    return world


def history(enterprise):
    return f"/audit-trail/enterprises.enterprise/{enterprise.pk}/"


def test_history_shows_each_change_before_and_after(changes, client):
    world = changes
    update_enterprise(world.user(Role.CITY), world.e_zhuozhou, employees=150)
    client.force_login(world.user(Role.COUNTY))

    page = client.get(history(world.e_zhuozhou))

    assert page.status_code == 200
    events = list(page.context["object_list"])
    assert [e.summary for e in events] == ["修改企业 涿州测试企业"] * 2
    assert [e.actor for e in events] == [world.user(Role.CITY), world.user(Role.COUNTY)]  # newest first
    assert events[0].changes() == [("employees", 120, 150)]
    assert events[1].changes() == [("double_exceed", False, True), ("employees", None, 120)]
    html = page.content.decode()
    assertContains(page, "从业人数")
    assertContains(page, "是否双超")
    assert '<td class="text-danger">否</td><td class="text-success">是</td>' in html
    assert '<td class="text-danger">—</td><td class="text-success">120</td>' in html
    assert '<td class="text-danger">120</td><td class="text-success">150</td>' in html
    assertContains(page, "保定市生态环境局")  # the organisation of the later change
    assertContains(page, "涿州测试企业 的修改记录")


def test_history_of_an_object_outside_the_jurisdiction_does_not_exist(changes, client):
    world = changes
    client.force_login(world.user(Role.COUNTY))

    assert client.get(history(world.e_lianchi)).status_code == 404
    assert client.get(history(world.e_changan)).status_code == 404
    client.force_login(world.user(Role.CITY))
    assert client.get(history(world.e_lianchi)).status_code == 200
    assert client.get(history(world.e_changan)).status_code == 404
    client.force_login(world.dingzhou_user)
    assert client.get(history(world.e_zhuozhou)).status_code == 404


@pytest.mark.parametrize("path", [
    "/audit-trail/nothing.here/1/",
    "/audit-trail/nonsense/1/",
    "/audit-trail/regions.region/130681/",  # not a scoped model: no history page
    "/audit-trail/enterprises.enterprise/abc/",
    "/audit-trail/enterprises.enterprise/999999/",
])
def test_history_of_unknown_types_and_objects_is_404(world, client, path):
    client.force_login(world.user(Role.PROVINCE))
    assert client.get(path).status_code == 404


def test_roles_without_the_permission_get_403(changes, client):
    for role in (Role.ENTERPRISE, Role.CONSULTANCY, Role.EXPERT, Role.PERMIT_AUTHORITY):
        client.force_login(changes.user(role))
        statuses = (client.get(history(changes.e_zhuozhou)).status_code, client.get("/audit-trail/").status_code,
                    client.get("/api/events/").status_code)
        assert statuses == (403, 403, 403), role


def test_anonymous_users_are_sent_to_the_login_page(changes, client):
    path = history(changes.e_zhuozhou)
    assertRedirects(client.get(path), f"/accounts/login/?next={path}", fetch_redirect_response=False)
    assertRedirects(client.get("/audit-trail/"), "/accounts/login/?next=/audit-trail/", fetch_redirect_response=False)
    assert client.get("/api/events/").status_code == 401


def test_history_of_an_account(world, client):
    from qingshen.accounts.services import set_active

    county = world.user(Role.COUNTY)
    set_active(world.user(Role.CITY), county, False)
    client.force_login(world.user(Role.CITY))

    page = client.get(f"/audit-trail/accounts.user/{county.pk}/")

    assertContains(page, "停用账号 130681")
    assert '<td>启用</td><td class="text-danger">是</td><td class="text-success">否</td>' in page.content.decode()
    client.force_login(world.other_county_user)  # 莲池 does not see 涿州's accounts
    assert client.get(f"/audit-trail/accounts.user/{county.pk}/").status_code == 404


def summaries(response):
    return {e.summary for e in response.context["object_list"]}


def test_the_event_list_is_scoped(changes, client):
    world = changes
    changed = {"action": "enterprise."}  # (signing in is recorded too; leave those events aside)

    client.force_login(world.user(Role.COUNTY))
    assert summaries(client.get("/audit-trail/", changed)) == {"修改企业 涿州测试企业"}
    client.force_login(world.other_county_user)
    assert summaries(client.get("/audit-trail/", changed)) == {"修改企业 莲池测试企业"}
    client.force_login(world.user(Role.CITY))
    assert summaries(client.get("/audit-trail/", changed)) == {"修改企业 涿州测试企业", "修改企业 莲池测试企业"}
    client.force_login(world.other_city_user)
    assert summaries(client.get("/audit-trail/", changed)) == {"修改企业 长安测试企业"}
    client.force_login(world.user(Role.PROVINCE))
    assert summaries(client.get("/audit-trail/", changed)) == {
        "修改企业 涿州测试企业", "修改企业 莲池测试企业", "修改企业 长安测试企业"}


def test_sign_in_events_are_scoped_like_the_account(changes, client):
    world = changes
    record("auth.login_failed", summary="登录失败：somebody")  # no place: province-wide only
    signed_in = {"action": "auth."}

    client.force_login(world.user(Role.COUNTY))
    assert summaries(client.get("/audit-trail/", signed_in)) == {"登录成功"}
    client.force_login(world.user(Role.CITY))
    actors = {e.actor for e in client.get("/audit-trail/", signed_in).context["object_list"]}
    assert actors == {world.user(Role.COUNTY), world.user(Role.CITY)}
    client.force_login(world.user(Role.PROVINCE))
    assert "登录失败：somebody" in summaries(client.get("/audit-trail/", signed_in))


def test_the_event_list_links_to_each_objects_history(changes, client):
    client.force_login(changes.user(Role.COUNTY))
    page = client.get("/audit-trail/")
    assertContains(page, f'href="{history(changes.e_zhuozhou)}"')
    assertNotContains(page, history(changes.e_lianchi))


def test_the_event_list_filters_by_action(changes, client):
    record("test.other", scope=changes.e_zhuozhou.region, summary="别的事")
    client.force_login(changes.user(Role.COUNTY))

    assert summaries(client.get("/audit-trail/", {"action": "enterprise."})) == {"修改企业 涿州测试企业"}
    assert summaries(client.get("/audit-trail/", {"action": "test."})) == {"别的事"}


def test_the_events_api_is_scoped(changes, client):
    world = changes
    client.force_login(world.user(Role.COUNTY))

    data = client.get("/api/events/", {"action": "enterprise."}).json()

    assert [row["summary"] for row in data["results"]] == ["修改企业 涿州测试企业"]
    row = data["results"][0]
    assert row["before"]["employees"] is None and row["after"]["employees"] == 120
    assert row["actor"] == world.user(Role.COUNTY).pk and len(row["hash"]) == 64
    client.force_login(world.user(Role.CITY))
    assert {r["summary"] for r in client.get("/api/events/", {"action": "enterprise."}).json()["results"]} == {
        "修改企业 涿州测试企业", "修改企业 莲池测试企业"}


def test_one_event_through_the_api_is_scoped_too(changes, client):
    from qingshen.audit_trail.models import Event

    lianchi = Event.objects.get(summary="修改企业 莲池测试企业")
    client.force_login(changes.user(Role.COUNTY))
    assert client.get(f"/api/events/{lianchi.seq}/").status_code == 404
    client.force_login(changes.user(Role.CITY))
    assert client.get(f"/api/events/{lianchi.seq}/").json()["summary"] == "修改企业 莲池测试企业"


def test_the_api_refuses_to_change_events(changes, client):
    from qingshen.audit_trail.models import Event

    event = Event.objects.first()
    client.force_login(changes.user(Role.PROVINCE))
    assert client.post("/api/events/", {}, content_type="application/json").status_code == 405
    assert client.delete(f"/api/events/{event.seq}/").status_code == 405
    assert client.patch(f"/api/events/{event.seq}/", {"summary": "x"}, content_type="application/json").status_code == 405
