"""The API: scoped like the pages, writing through the same services, with their messages."""

import pytest
from django.urls import reverse

from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.experts.models import Expert, Field
from qingshen.experts.tests.helpers import make_expert
from qingshen.industries.models import Industry

URL = "/api/experts/"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


def test_a_city_lists_its_pool_with_filters(world, login):
    a = make_expert("赵测试", fields=[Field.ENERGY])
    a.industries.set([Industry.objects.get(code="26")])
    make_expert("钱测试", is_active=False, fields=[Field.ENVIRONMENT])
    make_expert("孙测试", pool="130100", home="130102", fields=[Field.ENERGY])
    client = login(world.user(Role.CITY))

    def names(query=""):
        response = client.get(f"{URL}{query}")
        assert response.status_code == 200
        return sorted(row["name"] for row in response.json()["results"])

    assert names() == ["赵测试", "钱测试"]
    assert names("?field=energy") == ["赵测试"]
    assert names("?industry=26") == ["赵测试"]
    assert names("?is_active=false") == ["钱测试"]
    assert names("?q=钱") == ["钱测试"]
    row = client.get(reverse("expert-detail", args=[a.pk])).json()
    assert (row["pool"], row["pool_label"], row["fields"], row["field_labels"], row["industries"], row["username"]) == (
        "130600", "保定市专家库", ["energy"], ["节能"], ["26"], None)


def test_create_update_stop_and_refusals(world, login):
    client = login(world.user(Role.CITY))
    body = {"name": "吴测试", "employer": "虚构研究院", "pool": "130600", "home_region": "130681",
            "fields": ["energy", "process"], "industries": ["26"], "conflict_enterprises": [world.e_lianchi.pk]}
    wrong_pool = post(client, URL, {**body, "pool": "130000"})
    assert wrong_pool.status_code == 400
    assert wrong_pool.json() == {"pool": ["您只能维护保定市专家库，不能把专家放入省级专家库。"]}
    wrong_field = post(client, URL, {**body, "fields": ["law"]})
    assert wrong_field.json() == {"fields": ["专业领域“law”不在可选项中（可选：清洁生产、节能、环保、行业工艺）。"]}
    outside = post(client, URL, {**body, "conflict_enterprises": [world.e_changan.pk]})
    assert outside.json() == {"conflict_enterprises": [f"企业 {world.e_changan.pk} 不存在或不在您的辖区内。"]}
    not_division = post(client, URL, {**body, "industries": ["3360"]})
    assert "不是大类" in not_division.json()["industries"][0]
    created = post(client, URL, body)
    assert created.status_code == 201, created.json()
    data = created.json()
    assert (data["fields"], data["version"], data["is_active"]) == (["energy", "process"], 0, True)
    detail = reverse("expert-detail", args=[data["id"]])
    changed = patch(client, detail, {"title": "研究员", "version": 0})
    assert changed.status_code == 200 and changed.json()["version"] == 1
    stale = patch(client, detail, {"title": "旧版本", "version": 0})
    assert stale.status_code == 400 and "已被他人修改" in stale.json()["version"][0]
    stopped = patch(client, detail, {"is_active": False})
    assert stopped.status_code == 200 and stopped.json()["is_active"] is False
    expert = Expert.objects.get(pk=data["id"])
    assert (expert.title, expert.is_active, expert.version) == ("研究员", False, 2)
    assert [Event.objects.filter(action=a, object_id=str(expert.pk)).count()
            for a in ("expert.create", "expert.update", "expert.deactivate")] == [1, 1, 1]
    assert client.delete(detail).status_code == 405


def test_created_stopped_in_one_call(world, login):
    client = login(world.user(Role.PROVINCE))
    created = post(client, URL, {"name": "蒋测试", "employer": "虚构研究院", "pool": "130000", "home_region": "130102",
                                 "is_active": False})
    assert created.status_code == 201 and created.json()["is_active"] is False
    assert created.json()["pool_label"] == "省级专家库"


@pytest.mark.parametrize("role", [Role.COUNTY, Role.ENTERPRISE, Role.EXPERT, Role.SYSADMIN])
def test_others_are_refused(world, login, role):
    client = login(world.user(role))
    assert client.get(URL).status_code == 403
    assert post(client, URL, {"name": "越权", "employer": "虚构", "pool": "130600",
                              "home_region": "130681"}).status_code == 403
    assert not Expert.objects.exists()
