"""The API: the same rules as the pages (who reads, who writes, another enterprise's rows do not
exist), the services' messages, stale versions refused, computed figures read-only, and a
balance written with its lines nested."""

from decimal import Decimal

import pytest

from qingshen.audit_data.models import Balance, MaterialUse
from qingshen.audit_data.tests import helpers
from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role

D = Decimal
BASE = "/api/audit-data"


def water(project, **changes):
    return {"project": project.pk, "year": 2021, "surface_water": "0", "groundwater": "8000", "tap_water": "2000",
            "other_water": "0", "reused_water": "30000", "discharged_wastewater": "7000", "product_output": "500",
            "product_unit": "t", **changes}


def test_the_consultancy_adds_a_water_year_and_reads_the_computed_figures(data_world, sign_in):
    client = sign_in(data_world.user(Role.CONSULTANCY))
    response = client.post(f"{BASE}/water-uses/", water(data_world.project), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["intake"], body["reuse_rate"], body["intake_per_product"]) == ("10000.0000", "75.00", "20.0000")
    assert body["version"] == 1
    assert Event.objects.filter(action="audit_data.wateruse.create", object_id=str(body["id"])).exists()
    dry = client.post(f"{BASE}/water-uses/", water(data_world.project, year=2020, groundwater="0", tap_water="0",
                                                   reused_water="0", product_output=None, product_unit=""),
                      content_type="application/json").json()
    assert dry["reuse_rate"] is None and dry["intake_per_product"] is None  # undefined, not 0


def test_refusals_come_back_in_chinese_beside_the_field(data_world, sign_in):
    client = sign_in(data_world.user(Role.ENTERPRISE))
    response = client.post(f"{BASE}/water-uses/", water(data_world.project, tap_water="-1"),
                           content_type="application/json")
    assert response.status_code == 400 and response.json() == {"tap_water": ["自来水取水量（m³/a）不能为负数。"]}
    helpers.water(data_world.project, 2021)
    response = client.post(f"{BASE}/water-uses/", water(data_world.project), content_type="application/json")
    assert response.json() == {"year": ["2021 年的取水数据已经填写，请修改已有的一行。"]}
    response = client.post(f"{BASE}/material-uses/", {"project": data_world.project.pk, "kind": "gas", "name": "x",
                                                      "unit": "t", "year": 2021, "amount": "1"},
                           content_type="application/json")
    assert response.status_code == 400 and "kind" in response.json()


@pytest.mark.parametrize("role", [Role.COUNTY, Role.CITY, Role.PROVINCE])
def test_officials_read_but_do_not_write(data_world, sign_in, role):
    row = helpers.material(data_world.project)
    client = sign_in(data_world.user(role))
    listed = client.get(f"{BASE}/material-uses/?project={data_world.project.pk}").json()["results"]
    assert [r["id"] for r in listed] == [row.pk]
    assert client.post(f"{BASE}/material-uses/", {"project": data_world.project.pk},
                       content_type="application/json").status_code == 403
    assert client.patch(f"{BASE}/material-uses/{row.pk}/", {"amount": "2"},
                        content_type="application/json").status_code == 403
    assert client.delete(f"{BASE}/material-uses/{row.pk}/").status_code == 403
    assert MaterialUse.objects.get(pk=row.pk).amount == D("12.5")


def test_another_enterprise_cannot_reach_the_rows_or_the_project(data_world, sign_in):
    row = helpers.target(data_world.project)
    mine = helpers.target(data_world.lianchi_project)
    client = sign_in(data_world.other_enterprise_user)
    assert [r["id"] for r in client.get(f"{BASE}/targets/").json()["results"]] == [mine.pk]
    assert client.get(f"{BASE}/targets/{row.pk}/").status_code == 404
    assert client.delete(f"{BASE}/targets/{row.pk}/").status_code == 404
    response = client.post(f"{BASE}/targets/", {"project": data_world.project.pk, "indicator": "x", "unit": "t",
                                                "baseline_value": "1", "near_term_value": "1",
                                                "deadline": "2022-12-31"}, content_type="application/json")
    assert response.status_code == 400 and "project" in response.json()


def test_stale_edits_and_deletes_are_refused(data_world, sign_in):
    row = helpers.target(data_world.project)
    client = sign_in(data_world.user(Role.ENTERPRISE))
    path = f"{BASE}/targets/{row.pk}/"
    first = client.patch(path, {"near_term_value": "17", "version": 1}, content_type="application/json")
    assert first.status_code == 200
    assert (first.json()["near_term_change"], first.json()["near_term_change_percent"]) == ("-3.0000", "-15.00")
    stale = client.patch(path, {"near_term_value": "16", "version": 1}, content_type="application/json")
    assert stale.status_code == 400 and "已被他人修改" in stale.json()["version"][0]
    assert client.delete(f"{path}?version=1").status_code == 400
    assert client.delete(f"{path}?version=abc").status_code == 400
    assert client.delete(f"{path}?version=2").status_code == 204
    assert Event.objects.filter(action="audit_data.target.delete", object_id=str(row.pk)).exists()


def test_the_project_of_a_row_does_not_change(data_world, sign_in):
    row = helpers.focus(data_world.project)
    client = sign_in(data_world.user(Role.ENTERPRISE))
    response = client.patch(f"{BASE}/audit-focuses/{row.pk}/", {"project": 999999, "name": "测试新名称（编造）"},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["project"] == data_world.project.pk


def test_a_balance_with_its_lines(data_world, sign_in):
    client = sign_in(data_world.user(Role.ENTERPRISE))
    payload = {"project": data_world.project.pk, "kind": "material", "name": "测试染色工序物料平衡（编造）",
               "lines": [{"direction": "in", "item": "坯布", "quantity": "60", "unit": "t"},
                         {"direction": "in", "item": "染料助剂", "quantity": "40", "unit": "t"},
                         {"direction": "out", "item": "成品布", "quantity": "96", "unit": "t"}]}
    created = client.post(f"{BASE}/balances/", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["total_in"], body["total_out"], body["deviation"], body["within_limit"]) == (
        "100.0000", "96.0000", "4.00", True)
    assert body["deviation_limit"] == "5.00" and body["unit"] == "t" and len(body["lines"]) == 3
    path = f"{BASE}/balances/{body['id']}/"
    only_out = [{"direction": "out", "item": "成品布", "quantity": "96", "unit": "t"}]
    stale = client.patch(path, {"lines": only_out, "version": 1}, content_type="application/json")
    assert stale.status_code == 400 and "version" in stale.json()
    replaced = client.patch(path, {"lines": only_out, "version": body["version"]}, content_type="application/json")
    assert replaced.status_code == 200
    result = replaced.json()
    assert result["deviation"] is None and result["within_limit"] is None and "投入合计为零" in result["reason"]
    negative = client.patch(path, {"lines": [{"direction": "in", "item": "x", "quantity": "-1", "unit": "t"}]},
                            content_type="application/json")
    assert negative.status_code == 400 and "数量不能为负数" in str(negative.json())
    assert Balance.objects.get(pk=body["id"]).lines.count() == 1


def test_lists_filter_by_project_and_kind(data_world, sign_in):
    helpers.balance(data_world.project, "material")
    water_balance = helpers.balance(data_world.project, "water")
    helpers.balance(data_world.lianchi_project, "water")
    client = sign_in(data_world.user(Role.CITY))
    listed = client.get(f"{BASE}/balances/?project={data_world.project.pk}&kind=water").json()["results"]
    assert [b["id"] for b in listed] == [water_balance.pk]
    assert listed[0]["deviation"] == "4.00" and [line["item"] for line in listed[0]["lines"]] == ["新鲜水", "废水"]
