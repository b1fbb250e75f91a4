"""The audit project's page and list, and the API: list/read scoped, create = accept."""

import pytest

from qingshen.core.roles import Role
from qingshen.enterprises.tests.helpers import page_text
from qingshen.projects.models import AuditProject
from qingshen.projects.tests.conftest import sign_in
from qingshen.projects.tests.helpers import grow, queries_for

API = "/api/audit-projects/"


# --- the project page ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["enterprise", "consultancy", "county", "city", "province", "sysadmin"])
def test_the_project_page_for_everyone_over_it(accepted, client, who):
    sign_in(client, accepted.user(Role(who)))
    response = client.get(f"/projects/{accepted.project.pk}/")
    assert response.status_code == 200
    text = page_text(response)
    for words in ("项目编号", "202113068100001", "涿州测试企业", "张三", "13800138000", "测试批次清洁生产审核", "QY1306810001",
                  "省直管", "时间节点"):
        assert words in text, words


def test_the_enterprise_comes_back_to_its_task_from_the_project(accepted, client):
    sign_in(client, accepted.user(Role.ENTERPRISE))
    page = client.get(f"/projects/{accepted.project.pk}/").content.decode()
    assert f'href="/projects/tasks/{accepted.project.member_id}/"' in page
    assert "修改记录" not in page


def test_officials_see_the_history_link(accepted, client):
    sign_in(client, accepted.user(Role.COUNTY))
    page = client.get(f"/projects/{accepted.project.pk}/").content.decode()
    history = f"/audit-trail/projects.auditproject/{accepted.project.pk}/"
    assert f'href="{history}"' in page
    assert "接受清审任务，项目编号 202113068100001" in page_text(client.get(history))


@pytest.mark.parametrize("user", ["other_county_user", "other_city_user", "other_enterprise_user"])
def test_others_do_not_find_it(accepted, client, user):
    from qingshen.accounts.models import User

    User.objects.filter(pk=getattr(accepted, user).pk).update(must_change_password=False)
    sign_in(client, getattr(accepted, user))
    assert client.get(f"/projects/{accepted.project.pk}/").status_code == 404


def test_the_list_for_officials_with_filters(accepted, client):
    grow(accepted, 5)
    sign_in(client, accepted.user(Role.COUNTY))
    listed = lambda query="": [p.enterprise.name for p in client.get(f"/projects/{query}").context["object_list"]]  # noqa: E731
    everything = listed()
    assert "涿州测试企业" in everything and all(name.startswith(("涿州", "规模测试130681")) for name in everything)
    assert listed("?q=涿州测试") == ["涿州测试企业"]
    assert listed("?q=202113068100001") == ["涿州测试企业"]
    assert listed(f"?campaign={accepted.campaign.pk}") == everything
    page = client.get("/projects/").content.decode()
    assert 'href="/projects/"' in page and "清审项目" in page  # in the menu, under 任务管理


def test_the_list_costs_the_same_queries_with_more_projects(accepted, client):
    sign_in(client, accepted.user(Role.CITY))
    grow(accepted, 5)
    for path in ("/projects/", API):
        client.get(path)
    small = [queries_for(client, path) for path in ("/projects/", API)]
    grow(accepted, 25, start=5)
    assert [queries_for(client, path) for path in ("/projects/", API)] == small


# --- the API ---------------------------------------------------------------------------------


def create(client, world, **data):
    body = {"member": world.member(world.e_zhuozhou).pk, "project_lead": "张三", "project_lead_mobile": "13800138000"}
    return client.post(API, {**body, **data}, content_type="application/json")


def test_api_create_accepts_the_task(notified, client):
    sign_in(client, notified.user(Role.ENTERPRISE))
    response = create(client, notified)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["number"] == "202113068100001" and data["enterprise_name"] == "涿州测试企业"
    assert data["accepted_by_name"] == "QY1306810001" and data["project_lead_mobile"] == "13800138000"
    listed = client.get(API).json()["results"]
    assert [p["number"] for p in listed] == ["202113068100001"]
    assert client.get(f"{API}{data['id']}/").json()["project_lead"] == "张三"


def test_api_twice_is_refused_with_the_same_words(notified, client):
    sign_in(client, notified.user(Role.ENTERPRISE))
    create(client, notified)
    response = create(client, notified, project_lead="王五")
    assert response.status_code == 400
    message = response.json()["non_field_errors"][0]
    assert message.startswith("本企业已于") and message.endswith("（项目编号 202113068100001）。")
    assert AuditProject.objects.count() == 1


@pytest.mark.parametrize("data, field, message", [
    ({"project_lead_mobile": "12345"}, "project_lead_mobile", "请填写能接收短信的 11 位手机号码。"),
    ({"project_lead_mobile": ""}, "project_lead_mobile", "请填写能接收短信的 11 位手机号码。"),
    ({"project_lead": " "}, "project_lead", "请填写项目负责人。"),
])
def test_api_bad_input_gets_the_pages_words(notified, client, data, field, message):
    sign_in(client, notified.user(Role.ENTERPRISE))
    response = create(client, notified, **data)
    assert response.status_code == 400 and response.json()[field] == [message]
    assert not AuditProject.objects.exists()


def test_api_the_consultancy_and_officials_cannot_accept(notified, client):
    for role in (Role.CONSULTANCY, Role.COUNTY):
        sign_in(client, notified.user(role))
        assert create(client, notified).status_code == 403
    assert not AuditProject.objects.exists()


def test_api_another_enterprises_task_does_not_exist(notified, client):
    from qingshen.notices import services as notices

    notices.activate("QY1306060001", notified.lianchi_code, "Lianchi-2021!ok")
    sign_in(client, notified.other_enterprise_user)
    response = create(client, notified)
    assert response.status_code == 400 and "member" in response.json()
    # Its own task, not yet dispatched: refused with the service's words.
    response = create(client, notified, member=notified.member(notified.e_lianchi).pk)
    assert response.json() == {"non_field_errors": ["所在地生态环境部门尚未下发本企业的告知书。"]}


def test_api_statistics(notified, client):
    sign_in(client, notified.user(Role.COUNTY))
    response = client.get(f"{API}statistics/?campaign={notified.campaign.pk}")
    assert response.status_code == 200
    (table,) = response.json()["results"]
    assert table["campaign"]["name"] == "测试批次清洁生产审核" and table["group_level"] == "county"
    row = {"region_code": "130681", "region_name": "涿州市", "roster": 1, "generated": 1, "stamped": 1,
           "dispatched": 1, "accepted": 0, "not_accepted": 1}
    assert table["rows"] == [row]
    assert table["total"] == {**row, "region_code": "", "region_name": "合计"}
    assert table["columns"]["dispatched"] == "已下发（已通知）"
    assert client.get(f"{API}statistics/?campaign=abc").status_code == 400
    assert client.get(f"{API}statistics/?campaign=999999").status_code == 404
    assert len(client.get(f"{API}statistics/").json()["results"]) == 1


def test_api_statistics_is_for_officials(notified, client):
    sign_in(client, notified.user(Role.ENTERPRISE))
    assert client.get(f"{API}statistics/").status_code == 403


def test_api_token_clients_accept_too(notified, client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=notified.user(Role.ENTERPRISE))
    response = client.post(API, {"member": notified.member(notified.e_zhuozhou).pk, "project_lead": "张三",
                                 "project_lead_mobile": "+86 138-0013-8000"},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 201 and response.json()["project_lead_mobile"] == "13800138000"
