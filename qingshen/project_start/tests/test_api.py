"""The API does what the pages do, through the same services, with the same messages."""

from django.urls import reverse

from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.enterprises.models import Delegation
from qingshen.project_start import services
from qingshen.project_start.models import Disclosure, EiaApproval, Product, ProjectStart
from qingshen.project_start.tests.conftest import BASIC_COMPLETE, fill_everything, fresh, sign_in
from qingshen.projects.tests.jurisdiction import other_project


def test_open_read_and_fill_the_start(world, client):
    sign_in(client, world.user(Role.ENTERPRISE))
    response = client.post(reverse("projectstart-list"), {"project": world.project.pk}, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["id"] == world.project.pk and body["status"] == "draft" and body["version"] == 1
    assert body["consultancy"] == world.consultancy_org.pk and body["output_years"] == [2018, 2019, 2020]
    # opening it again answers the same start
    again = client.post(reverse("projectstart-list"), {"project": world.project.pk}, content_type="application/json")
    assert again.status_code == 200 and ProjectStart.objects.filter(pk=world.project.pk).count() == 1

    detail = reverse("projectstart-detail", args=[world.project.pk])
    response = client.patch(detail, {"version": 1, "legal_representative": "接口法人", "industry": "1713",
                                     "employees": 35}, content_type="application/json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["legal_representative"] == "接口法人" and body["version"] == 2
    assert [n["code"] for n in body["industry_lineage"]] == ["17", "171", "1713"]
    event = Event.objects.filter(action="project_start.update").latest("seq")
    assert event.after["legal_representative"] == "接口法人"

    # a stale version: 400 under "version", with the pages' message
    response = client.patch(detail, {"version": 1, "address": "旧页面"}, content_type="application/json")
    assert response.status_code == 400
    assert "已被他人修改" in response.json()["version"][0]
    # bad values: beside the field, in Chinese
    response = client.patch(detail, {"working_days": 400, "industry": "17"}, content_type="application/json")
    assert response.status_code == 400
    assert "industry" in response.json()
    response = client.patch(detail, {"working_days": 400}, content_type="application/json")
    assert response.status_code == 400 and "working_days" in response.json()


def test_rows_through_the_api(world, client):
    user = fresh(world.user(Role.CONSULTANCY))
    services.start_for(user, world.project)
    sign_in(client, user)
    response = client.post(reverse("startproduct-list"), {"project": world.project.pk, "name": "接口产品", "unit": "吨",
                                                     "design_capacity": "100", "output_1": "-1"},
                           content_type="application/json")
    assert response.status_code == 400 and "output_1" in response.json()
    response = client.post(reverse("startproduct-list"), {"project": world.project.pk}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["请至少填写一项产品信息。"]
    response = client.post(reverse("startproduct-list"), {"project": world.project.pk, "name": "接口产品", "unit": "吨"},
                           content_type="application/json")
    assert response.status_code == 201
    product = Product.objects.get(pk=response.json()["id"])
    detail = reverse("startproduct-detail", args=[product.pk])
    response = client.patch(detail, {"version": 1, "design_capacity": "120.5"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["design_capacity"] == "120.500"
    assert client.patch(detail, {"version": 1, "unit": "万米"}, content_type="application/json").status_code == 400
    listing = client.get(reverse("startproduct-list"), {"project": world.project.pk}).json()
    assert [row["name"] for row in listing["results"]] == ["接口产品"]
    assert client.delete(detail + "?version=1").status_code == 400
    assert client.delete(detail + "?version=2").status_code == 204
    assert not Product.objects.filter(pk=product.pk).exists()
    assert Event.objects.filter(action="project_start.product.delete").latest("seq").before["name"] == "接口产品"


def test_files_of_rows_are_listed(world, client):
    user = fresh(world.user(Role.ENTERPRISE))
    start = services.start_for(user, world.project)
    fill_everything(user, start)
    sign_in(client, user)
    rows = client.get(reverse("eiaapproval-list"), {"project": world.project.pk}).json()["results"]
    assert [f["name"] for f in rows[0]["files"]] == ["环评批复-测试.pdf"]
    one = client.get(reverse("eiaapproval-detail", args=[rows[0]["id"]])).json()
    assert one["files"] == rows[0]["files"]


def test_submit_action_parity(world, client):
    enterprise = fresh(world.user(Role.ENTERPRISE))
    start = services.start_for(enterprise, world.project)
    services.save_basic(enterprise, start, legal_representative="")
    submit = reverse("projectstart-submit", args=[start.pk])

    sign_in(client, world.user(Role.CONSULTANCY))
    answer = client.get(submit).json()
    assert answer["allowed"] is False and answer["detail"] == services.SUBMIT_REFUSED
    response = client.post(submit, {}, content_type="application/json")
    assert response.status_code == 403

    sign_in(client, enterprise)
    answer = client.get(submit).json()
    assert answer["allowed"] is False
    assert {"step": "basic", "step_label": "基本信息", "text": "请填写法人"} in answer["missing"]
    start.refresh_from_db()
    response = client.post(submit, {"version": start.version}, content_type="application/json")
    assert response.status_code == 400
    messages = response.json()["non_field_errors"]
    assert "基本信息：请填写法人" in messages and "产品信息：请至少添加一条产品" in messages

    fill_everything(enterprise, start)
    start.refresh_from_db()
    assert client.get(submit).json() == {"id": start.pk, "status": "draft", "allowed": True, "detail": "",
                                         "missing": []}
    response = client.post(submit, {"version": start.version}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    # read-only now, in the API too
    response = client.patch(reverse("projectstart-detail", args=[start.pk]), {"address": "提交后"},
                            content_type="application/json")
    assert response.status_code == 400 and "不能再修改" in response.json()["non_field_errors"][0]
    row = EiaApproval.objects.filter(project=world.project).first()
    response = client.patch(reverse("eiaapproval-detail", args=[row.pk]), {"authority": "提交后"},
                            content_type="application/json")
    assert response.status_code == 400
    # records are still open
    response = client.post(reverse("disclosure-list"), {"project": world.project.pk, "disclosed_on": "2021-10-20",
                                                        "channel": "website"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["link"] == ["在企业官方网站公布的，请填写网址链接。"]
    response = client.post(reverse("disclosure-list"), {"project": world.project.pk, "disclosed_on": "2021-10-20",
                                                        "channel": "media", "note": "测试日报"},
                           content_type="application/json")
    assert response.status_code == 201 and Disclosure.objects.filter(project=world.project).count() == 1


def test_api_consultancy_cannot_move_the_delegation_and_officials_only_read(world, client):
    consultancy = fresh(world.user(Role.CONSULTANCY))
    start = services.start_for(consultancy, world.project)
    detail = reverse("projectstart-detail", args=[start.pk])
    sign_in(client, consultancy)
    response = client.patch(detail, {"audit_mode": "self"}, content_type="application/json")
    assert response.status_code == 403 and response.json()["detail"] == services.DELEGATION_REFUSED
    assert Delegation.objects.get(enterprise=world.e_zhuozhou, consultancy=world.consultancy_org).is_active

    sign_in(client, world.user(Role.COUNTY))
    assert client.get(detail).status_code == 200
    assert client.patch(detail, {"address": "官员改"}, content_type="application/json").status_code == 403
    assert client.post(reverse("startproduct-list"), {"project": start.pk, "name": "官员加"},
                       content_type="application/json").status_code == 403


def test_api_another_enterprise_project_is_out_of_reach(world, client):
    lianchi = other_project(world, world.e_lianchi, "202113060600098")
    sign_in(client, world.user(Role.ENTERPRISE))
    response = client.post(reverse("projectstart-list"), {"project": lianchi.pk}, content_type="application/json")
    assert response.status_code == 400 and "project" in response.json()
    response = client.post(reverse("startproduct-list"), {"project": lianchi.pk, "name": "越界"},
                           content_type="application/json")
    assert response.status_code == 400 and not Product.objects.filter(project=lianchi).exists()
    ProjectStart(project=lianchi, **BASIC_COMPLETE).save()
    assert client.get(reverse("projectstart-detail", args=[lianchi.pk])).status_code == 404
    assert client.post(reverse("projectstart-submit", args=[lianchi.pk]), {}).status_code == 404
