"""The campaign API keeps the pages' rules: the province creates and edits through the
services, lines are scoped per role, and a later date than the level above is a 400 in Chinese."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_enterprise
from qingshen.campaigns.models import Campaign, CampaignEnterprise, Milestone
from qingshen.core.roles import Role
from qingshen.rosters.models import RosterTask

NEW = {"document_number": "冀环测〔2022〕7号", "batch": "第一批", "name": "接口新建的批次", "year": 2022, "code": "2022-7",
       "scope": "测试企业", "requirements": "按要求开展。", "target_rules": ["1", "2"]}


# --- campaigns -------------------------------------------------------------------------------


def test_every_reader_lists_campaigns(draft, client):
    for role in (Role.CITY, Role.COUNTY, Role.PERMIT_AUTHORITY, Role.SYSADMIN, Role.ENTERPRISE):
        client.force_login(draft.user(role))
        [row] = client.get("/api/campaigns/").json()["results"]
        assert row["document_number"] == "冀环测〔2021〕1号" and row["target_rules"] == ["1", "2", "3", "4"]
        assert row["status"] == "draft" and row["status_display"] == "草稿"
    client.force_login(draft.user(Role.EXPERT))
    assert client.get("/api/campaigns/").status_code == 403


def test_the_detail_carries_the_dates_that_apply_to_the_reader(draft, client):
    client.force_login(draft.user(Role.COUNTY))
    data = client.get(f"/api/campaigns/{draft.campaign.pk}/").json()
    dates = {d["kind"]: d for d in data["deadlines"]}
    assert dates["evaluation_application"]["date"] == "2022-02-01"
    assert dates["evaluation_application"]["set_by"] == "保定市" and dates["evaluation_application"]["tightened"]
    assert dates["notify"]["date"] is None and dates["notify"]["relative"] == "自企业名单公布后 10 日内"
    assert [r["code"] for r in data["target_rule_texts"]] == ["1", "2", "3", "4"]


def test_the_province_creates_through_the_service(draft, client):
    client.force_login(draft.user(Role.PROVINCE))
    response = client.post("/api/campaigns/", NEW, content_type="application/json")
    assert response.status_code == 201, response.json()
    campaign = Campaign.objects.get(code="2022-7")
    assert response.json()["id"] == campaign.pk and response.json()["issuing_organization_name"] == "河北省生态环境厅"
    assert RosterTask.objects.filter(campaign=campaign, level="province", status="draft").exists()
    again = client.post("/api/campaigns/", NEW, content_type="application/json")
    assert again.status_code == 400 and again.json()["code"] == ["该批次代码已被其他清审批次使用。"]


def test_only_the_province_creates_or_edits(draft, client):
    client.force_login(draft.user(Role.CITY))
    assert client.post("/api/campaigns/", NEW, content_type="application/json").status_code == 403
    assert client.patch(f"/api/campaigns/{draft.campaign.pk}/", {"name": "x"},
                        content_type="application/json").status_code == 403


def test_a_published_campaigns_identity_is_locked(published, client):
    client.force_login(published.user(Role.PROVINCE))
    response = client.patch(f"/api/campaigns/{published.campaign.pk}/", {"name": "改名"},
                            content_type="application/json")
    assert response.status_code == 400 and response.json() == {"name": ["清审任务名称：名单已下发，不能再修改。"]}
    response = client.patch(f"/api/campaigns/{published.campaign.pk}/", {"contact_phone": "0311-22222222"},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["version"] == 2


def test_a_stale_version_is_refused(draft, client):
    client.force_login(draft.user(Role.PROVINCE))
    path = f"/api/campaigns/{draft.campaign.pk}/"
    assert client.patch(path, {"scope": "甲", "version": 1}, content_type="application/json").status_code == 200
    response = client.patch(path, {"scope": "乙", "version": 1}, content_type="application/json")
    assert response.status_code == 400 and "已被他人修改" in response.json()[0]


# --- campaign members ------------------------------------------------------------------------


def names(response):
    assert response.status_code == 200, response.content
    return {row["enterprise_name"] for row in response.json()["results"]}


def test_lines_are_scoped_per_role_and_filterable(draft, client):
    other = Campaign.objects.create(document_number="x", batch="x", name="另一批次", year=2021, code="2021-X",
                                    scope="x", issuing_organization=draft.user(Role.PROVINCE).organization)
    CampaignEnterprise.objects.create(campaign=other, enterprise=draft.e_zhuozhou, reasons=["double_exceed"])
    client.force_login(draft.user(Role.PROVINCE))
    assert len(client.get("/api/campaign-members/").json()["results"]) == 5
    assert names(client.get(f"/api/campaign-members/?campaign={draft.campaign.pk}")) == {
        "涿州测试企业", "莲池测试企业", "长安测试企业", "定州测试企业"}
    assert names(client.get(f"/api/campaign-members/?campaign={draft.campaign.pk}&handling_level=province")) == {
        "涿州测试企业", "长安测试企业"}
    assert names(client.get("/api/campaign-members/?reason=double_exceed")) == {"涿州测试企业"}
    assert names(client.get("/api/campaign-members/?county=130606")) == {"莲池测试企业"}
    client.force_login(draft.user(Role.CITY))
    assert names(client.get(f"/api/campaign-members/?campaign={draft.campaign.pk}")) == {"涿州测试企业", "莲池测试企业"}
    client.force_login(draft.user(Role.COUNTY))
    assert names(client.get(f"/api/campaign-members/?campaign={draft.campaign.pk}")) == {"涿州测试企业"}
    row = client.get(f"/api/campaign-members/?campaign={draft.campaign.pk}").json()["results"][0]
    assert row["reason_labels"] == ["重点工作任务"] and row["handling_level_display"] == "省直管"


def test_the_province_adds_and_removes_lines_while_drafting(draft, client):
    new = make_enterprise("接口加入的企业", "130681")
    client.force_login(draft.user(Role.PROVINCE))
    body = {"campaign": draft.campaign.pk, "enterprise": new.pk, "reasons": ["double_toxic", "key_task"],
            "handling_level": "city"}
    response = client.post("/api/campaign-members/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["reason_labels"] == ["双有", "重点工作任务"]
    again = client.post("/api/campaign-members/", body, content_type="application/json")
    assert again.status_code == 400 and again.json() == {"enterprise": ["接口加入的企业已在本批次名单中。"]}
    assert client.post("/api/campaign-members/", {**body, "reasons": []},
                       content_type="application/json").status_code == 400
    member_id = response.json()["id"]
    assert client.delete(f"/api/campaign-members/{member_id}/").status_code == 204
    assert not CampaignEnterprise.objects.filter(pk=member_id).exists()


def test_lines_cannot_be_added_or_removed_once_published_or_by_a_city(published, client):
    new = make_enterprise("接口加入的企业", "130681")
    body = {"campaign": published.campaign.pk, "enterprise": new.pk, "reasons": ["key_task"], "handling_level": "city"}
    client.force_login(published.user(Role.CITY))
    assert client.post("/api/campaign-members/", body, content_type="application/json").status_code == 403
    client.force_login(published.user(Role.PROVINCE))
    response = client.post("/api/campaign-members/", body, content_type="application/json")
    assert response.status_code == 400 and "名单已下发" in response.json()[0]
    member = published.member(published.e_lianchi)
    assert client.delete(f"/api/campaign-members/{member.pk}/").status_code == 400


def test_the_lines_endpoint_costs_the_same_with_more_lines(draft, client):
    from qingshen.campaigns.tests.test_members import add_lines

    client.force_login(draft.user(Role.COUNTY))
    client.get("/api/campaign-members/")
    add_lines(draft, 3, 100)
    with CaptureQueriesContext(connection) as small:
        client.get("/api/campaign-members/")
    add_lines(draft, 30, 200)
    with CaptureQueriesContext(connection) as large:
        client.get("/api/campaign-members/")
    assert len(large) == len(small)


# --- milestones ------------------------------------------------------------------------------


def test_a_city_tightens_a_date_and_a_later_one_is_a_400_in_chinese(draft, client):
    client.force_login(draft.user(Role.CITY))
    response = client.post("/api/milestones/", {"campaign": draft.campaign.pk, "kind": "evaluation_done",
                                                "due_date": "2022-02-28", "document_number": "(2021)—34"},
                           content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["region"] == "130600" and response.json()["party"] == "handling_level"
    response = client.post("/api/milestones/", {"campaign": draft.campaign.pk, "kind": "acceptance_done",
                                                "due_date": "2022-07-01"}, content_type="application/json")
    assert response.status_code == 400
    [message] = response.json()["due_date"]
    assert message.startswith("不能晚于上级规定的日期：2022年06月30日") and "下级只能提前，不能推迟" in message


def test_milestone_input_errors_are_in_chinese(draft, client):
    client.force_login(draft.user(Role.CITY))
    response = client.post("/api/milestones/", {"campaign": draft.campaign.pk, "kind": "extra",
                                                "due_date": "2021-10-28"}, content_type="application/json")
    assert response.status_code == 400 and response.json() == {"party": ["请选择“其他”节点的责任方。"]}
    response = client.post("/api/milestones/", {"campaign": draft.campaign.pk, "kind": "extra", "party": "county",
                                                "due_date": "2021-10-28"}, content_type="application/json")
    assert response.status_code == 400 and response.json() == {"label": ["请填写该时间节点的名称。"]}


def test_milestones_are_listed_along_the_region_path(draft, client):
    Milestone.objects.create(campaign=draft.campaign, region_id="130100", kind="evaluation_done",
                             party="handling_level", due_date=date(2022, 3, 1))
    client.force_login(draft.user(Role.COUNTY))
    rows = client.get(f"/api/milestones/?campaign={draft.campaign.pk}").json()["results"]
    assert {r["region"] for r in rows} == {"130000", "130600"}
    client.force_login(draft.user(Role.PROVINCE))
    rows = client.get("/api/milestones/?region=130100").json()["results"]
    assert [r["region_name"] for r in rows] == ["石家庄市"]


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.PERMIT_AUTHORITY, Role.EXPERT])
def test_only_departments_set_dates_through_the_api(draft, client, role):
    client.force_login(draft.user(role))
    response = client.post("/api/milestones/", {"campaign": draft.campaign.pk, "kind": "evaluation_done",
                                                "due_date": "2022-01-01"}, content_type="application/json")
    assert response.status_code == 403
