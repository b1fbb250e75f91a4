"""The API: the same services and messages as the pages."""

from decimal import Decimal

from django.urls import reverse

from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.options.models import Feasibility, Option
from qingshen.options.tests.helpers import make_feasibility, make_option, project_for

FEASIBILITY = {"investment": "100", "annual_savings": "30", "depreciation_years": 10, "tax_rate": "25",
               "discount_rate": "10", "economic_life": 10, "technical_assessment": "成熟工艺（测试）"}


def test_create_update_and_refusals(world, sign_in):
    client = sign_in(world.user(Role.ENTERPRISE))
    url = reverse("option-list")
    bad = client.post(url, {"project": world.project.pk, "name": "负投资（测试）", "investment": "-1"},
                      content_type="application/json")
    assert bad.status_code == 400 and bad.json() == {"investment": ["投资不能为负数。"]}
    wrong_status = client.post(url, {"project": world.project.pk, "name": "状态错（测试）", "status": "done"},
                               content_type="application/json")
    assert wrong_status.status_code == 400 and "status" in wrong_status.json()
    created = client.post(url, {"project": world.project.pk, "name": "余热回收（测试）", "cost_class": "high",
                                "investment": "88.5"}, content_type="application/json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["code"], body["investment"], body["cost_class_display"], body["version"]) == (
        "F1", "88.50", "中高费", 1)
    detail = reverse("option-detail", args=[body["id"]])
    changed = client.patch(detail, {"status": "implemented", "version": 1}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["status_display"] == "已实施"
    stale = client.patch(detail, {"name": "旧版本（测试）", "version": 1}, content_type="application/json")
    assert stale.status_code == 400 and "已被他人修改" in stale.json()["version"][0]
    assert Event.objects.filter(action="option.update", object_id=str(body["id"])).count() == 1


def test_officials_read_but_may_not_write(world, sign_in):
    option = make_option(world.project, "F1")
    client = sign_in(world.user(Role.COUNTY))
    assert client.get(reverse("option-detail", args=[option.pk])).json()["code"] == "F1"
    assert client.post(reverse("option-list"), {"project": world.project.pk, "name": "官员新增（测试）"},
                       content_type="application/json").status_code == 403
    assert client.patch(reverse("option-detail", args=[option.pk]), {"name": "x"},
                        content_type="application/json").status_code == 403
    assert client.delete(reverse("option-detail", args=[option.pk])).status_code == 403
    assert client.put(reverse("option-feasibility", args=[option.pk]), FEASIBILITY,
                      content_type="application/json").status_code == 403


def test_project_of_another_enterprise_is_not_accepted(world, sign_in):
    other = project_for(world, world.e_lianchi, "202113060600001")
    response = sign_in(world.user(Role.ENTERPRISE)).post(
        reverse("option-list"), {"project": other.pk, "name": "越权（测试）"}, content_type="application/json")
    assert response.status_code == 400 and "project" in response.json()
    assert not Option.objects.exists()


def test_filters(world, sign_in):
    make_option(world.project, "F1")
    make_option(world.project, "F2", cost_class=Option.CostClass.HIGH, status=Option.Status.IMPLEMENTED)
    client = sign_in(world.user(Role.CONSULTANCY))
    codes = lambda **q: [row["code"] for row in client.get(reverse("option-list"), q).json()["results"]]  # noqa: E731
    assert codes(cost_class="high") == ["F2"]
    assert codes(status="proposed") == ["F1"]
    assert codes(project=world.project.pk) == ["F1", "F2"]


def test_feasibility_put_get_delete(world, sign_in):
    option = make_option(world.project, "F1", cost_class=Option.CostClass.HIGH)
    client = sign_in(world.user(Role.CONSULTANCY))
    url = reverse("option-feasibility", args=[option.pk])
    assert client.get(url).status_code == 404
    bad = client.put(url, {**FEASIBILITY, "economic_life": 0}, content_type="application/json")
    assert bad.status_code == 400
    saved = client.put(url, {**FEASIBILITY, "version": 0}, content_type="application/json")
    assert saved.status_code == 200, saved.json()
    body = saved.json()
    assert (body["npv"], body["irr"], body["payback_years"], body["verdict"]) == ("53.6142", "21.41", "4.00", "经济上可行")
    assert len(body["years"]) == 10 and body["years"][0]["cash_flow"] == 25.0
    assert [rule["passed"] for rule in body["rules"]] == [True, True, True]
    read = client.get(url).json()
    assert read["technical_assessment"] == "成熟工艺（测试）" and read["version"] == 1
    stale = client.put(url, {**FEASIBILITY, "version": 0}, content_type="application/json")
    assert stale.status_code == 400 and "version" in stale.json()
    assert client.delete(url + "?version=1").status_code == 204
    assert not Feasibility.objects.exists()
    low = make_option(world.project, "F2")
    refused = client.put(reverse("option-feasibility", args=[low.pk]), FEASIBILITY, content_type="application/json")
    assert refused.status_code == 400 and "只有中高费方案" in refused.json()["non_field_errors"][0]


def test_totals_and_summary(world, sign_in):
    make_option(world.project, "F1", investment=Decimal("2"), status=Option.Status.IMPLEMENTED)
    high = make_option(world.project, "F2", cost_class=Option.CostClass.HIGH, investment=Decimal("50"))
    make_feasibility(high)
    lianchi = project_for(world, world.e_lianchi, "202113060600001")
    make_option(lianchi, "F1", investment=Decimal("9"))
    enterprise = sign_in(world.user(Role.ENTERPRISE))
    mine = enterprise.get(reverse("option-totals"), {"project": world.project.pk}).json()
    assert mine["all"]["total"] == {"count": 2, "investment": "52.00", "economic_benefit": "0.00", "water_saved": "0.00",
                                    "cod_reduced": "0.000", "nh3n_reduced": "0.000", "energy_saved": "0.00"}
    assert mine["implemented"]["low"]["count"] == 1
    assert enterprise.get(reverse("option-totals"), {"project": lianchi.pk}).status_code == 404
    assert enterprise.get(reverse("option-totals")).json()["all"]["total"]["investment"] == "52.00"
    assert enterprise.get(reverse("option-summary")).status_code == 403
    city = sign_in(world.user(Role.CITY)).get(reverse("option-summary")).json()
    assert [row["region_code"] for row in city["rows"]] == ["130606", "130681"]
    assert city["total"]["all"]["total"]["investment"] == "61.00" and city["scope"] == "保定市"
    assert sign_in(world.user(Role.CITY)).get(reverse("option-summary"), {"campaign": "999999"}).status_code == 404
