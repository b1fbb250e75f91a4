"""The roster API: the same services, the same refusals (400 with the Chinese message, 403, 404)."""

import pytest

from qingshen.campaigns.models import CampaignEnterprise
from qingshen.core.roles import Role
from qingshen.rosters.models import RosterDecision, RosterSubmission, RosterTask
from qingshen.rosters.tests.helpers import FAKE_USCC_NEW, blank_pdf, exe_named_pdf, png
from qingshen.rosters.tests.test_cascade import as_user

Status = RosterTask.Status


def api(task, step=""):
    return f"/api/roster-tasks/{task.pk}/{step + '/' if step else ''}"


def status_of(task):
    return RosterTask.objects.get(pk=task.pk).status


@pytest.mark.django_db
def test_the_cascade_through_the_api(draft, client):
    world = draft
    root = world.roster
    as_user(client, world.user(Role.PROVINCE))
    assert client.get(api(root, "publish")).json() == {"task": root.pk, "action": "publish", "status": "draft",
                                                      "allowed": True, "detail": ""}
    refused = client.post(api(root, "publish"), {}, content_type="application/json")
    assert refused.status_code == 400 and refused.json() == {"detail": ["请先阅读并勾选“我同意上述内容”。"]}
    published = client.post(api(root, "publish"), {"attested": True}, content_type="application/json")
    assert published.status_code == 200 and published.json()["status"] == "dispatched"
    again = client.post(api(root, "publish"), {"attested": True}, content_type="application/json")
    assert again.status_code == 400 and "请勿重复下发" in again.json()["detail"][0]

    city_task = world.roster_task("130600")
    as_user(client, world.user(Role.CITY))
    listed = client.get("/api/roster-tasks/").json()["results"]
    assert [row["region_code"] for row in listed] == ["130600"]
    assert listed[0]["status_display"] == "待确认"
    dispatched = client.post(api(city_task, "dispatch"), {"attested": True, "expected_status": "pending"},
                             content_type="application/json")
    assert dispatched.status_code == 200
    county_task = world.roster_task("130681")
    assert {row["region_code"] for row in client.get("/api/roster-tasks/").json()["results"]} == {
        "130600", "130681", "130606"}

    as_user(client, world.user(Role.COUNTY))
    member = world.member(world.e_zhuozhou)
    members = client.get(api(county_task, "members")).json()["results"]
    assert [(m["id"], m["enterprise_name"], m["status"]) for m in members] == [(member.pk, "涿州测试企业", "included")]
    no_reason = client.post(api(county_task, "exclude"), {"member": member.pk, "evidence": [png()]})
    assert no_reason.status_code == 400 and no_reason.json() == {"reason": ["请填写详细情况说明。"]}
    excluded = client.post(api(county_task, "exclude"), {"member": member.pk, "reason": "已停产", "evidence": [png()]})
    assert excluded.status_code == 200 and excluded.json()["status"] == "excluded"
    kept = client.post(api(county_task, "keep"), {"member": member.pk}, content_type="application/json")
    assert kept.json()["status"] == "included"
    corrected = client.post(api(county_task, "correct"), {"member": member.pk, "field": "double_exceed", "value": "是"},
                            content_type="application/json")
    assert corrected.status_code == 200 and corrected.json()["double_exceed"] is True
    proposed = client.post(api(county_task, "propose"), {
        "new_enterprise": {"name": "涿州增补企业", "uscc": FAKE_USCC_NEW, "region": "130681"},
        "reasons": ["double_exceed"], "handling_level": "city"}, content_type="application/json")
    assert proposed.status_code == 201 and proposed.json()["status"] == "proposed"
    decisions = client.get(f"/api/roster-decisions/?task={county_task.pk}").json()["results"]
    assert [d["action"] for d in decisions] == ["add", "correct", "keep", "exclude"]
    assert decisions[1]["old_value"] == "否" and decisions[1]["new_value"] == "是"
    assert decisions[3]["evidence"][0]["url"].startswith(f"/rosters/{county_task.pk}/files/")
    no_file = client.post(api(county_task, "submit"), {})
    assert no_file.status_code == 400 and no_file.json() == {"stamped_list": ["请上传本级最终名单（盖章扫描件）。"]}
    exe = client.post(api(county_task, "submit"), {"stamped_list": exe_named_pdf()})
    assert exe.status_code == 400 and "EXE" in exe.json()["stamped_list"][0]
    submitted = client.post(api(county_task, "submit"), {"stamped_list": blank_pdf(), "expected_status": "pending"})
    assert submitted.status_code == 201 and submitted.json()["round"] == 1
    twice = client.post(api(county_task, "submit"), {"stamped_list": blank_pdf(), "expected_status": "pending"})
    assert twice.status_code == 400 and "请勿重复提交" in twice.json()["detail"][0]
    assert RosterSubmission.objects.filter(task=county_task).count() == 1

    as_user(client, world.user(Role.CITY))
    no_comments = client.post(api(county_task, "return"), {}, content_type="application/json")
    assert no_comments.status_code == 400 and no_comments.json() == {"comments": ["退回时请填写审核意见。"]}
    early = client.post(api(city_task, "submit"), {"stamped_list": blank_pdf()})
    assert early.status_code == 400 and "下级任务尚未全部审核通过" in early.json()["detail"][0]
    returned = client.post(api(county_task, "return"), {"comments": "请补充佐证。"}, content_type="application/json")
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    stale = client.post(api(county_task, "approve"), {"expected_status": "submitted"}, content_type="application/json")
    assert stale.status_code == 400 and "变为“已退回”" in stale.json()["detail"][0]
    rounds = client.get(f"/api/roster-submissions/?task={county_task.pk}").json()["results"]
    assert [(r["round"], r["decision"], r["comments"]) for r in rounds] == [(1, "returned", "请补充佐证。")]
    assert rounds[0]["snapshot"][0]["enterprise"] == "涿州测试企业"
    assert client.get(rounds[0]["stamped_list"]["url"]).status_code == 200


@pytest.mark.django_db
def test_who_may_do_what(published, client):
    world = published
    city_task, other_city = world.roster_task("130600"), world.roster_task("130100")
    member = world.member(world.e_lianchi)
    as_user(client, world.user(Role.COUNTY))
    assert client.get(api(city_task)).status_code == 404  # the level above's task is not the county's
    assert client.post(api(city_task, "approve"), {}).status_code == 403  # no review permission at all
    as_user(client, world.user(Role.CITY))
    assert client.post(api(other_city, "dispatch"), {"attested": True}).status_code == 404
    assert client.post(api(world.roster, "publish"), {"attested": True}).status_code == 404
    refused = client.post(api(city_task, "approve"), {}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["detail"] == "只有上一级生态环境部门可以审核该任务。"
    assert client.get(api(city_task, "approve")).status_code == 200
    assert client.get(api(city_task, "approve")).json()["allowed"] is False
    as_user(client, world.other_city_user)
    assert client.post(api(city_task, "keep"), {"member": member.pk}).status_code == 404
    as_user(client, world.user(Role.SYSADMIN))
    assert client.get(api(city_task)).status_code == 200
    assert client.post(api(city_task, "keep"), {"member": member.pk}).status_code == 403
    as_user(client, world.user(Role.ENTERPRISE))
    assert client.get("/api/roster-tasks/").status_code == 403
    client.logout()
    assert client.get("/api/roster-tasks/").status_code == 401
    assert status_of(city_task) == Status.PENDING


@pytest.mark.django_db
def test_member_actions_stay_inside_the_task(published, client):
    world = published
    as_user(client, world.user(Role.CITY))
    city_task = world.roster_task("130600")
    outsider = world.member(world.e_changan)  # 石家庄's enterprise
    response = client.post(api(city_task, "keep"), {"member": outsider.pk}, content_type="application/json")
    assert response.status_code == 404 and response.json()["detail"] == "该企业不在本任务的名单中。"
    bad_field = client.post(api(city_task, "correct"), {"member": world.member(world.e_lianchi).pk, "field": "region",
                                                        "value": "130102"}, content_type="application/json")
    assert bad_field.status_code == 400 and "field" in bad_field.json()
    bad_value = client.post(api(city_task, "correct"), {"member": world.member(world.e_lianchi).pk,
                                                        "field": "double_toxic", "value": "也许"},
                            content_type="application/json")
    assert bad_value.json() == {"value": ["请填写“是”或“否”。"]}
    both = client.post(api(city_task, "propose"), {"enterprise": world.e_changan.pk, "reasons": ["key_task"],
                                                   "handling_level": "city"}, content_type="application/json")
    assert both.status_code == 400 and "enterprise" in both.json()  # outside the city: not offered at all
    assert not RosterDecision.objects.exists()
    assert CampaignEnterprise.objects.filter(status="proposed").count() == 0


@pytest.mark.django_db
def test_the_task_list_costs_the_same_for_few_or_many(verified, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conftest import department

    world = verified
    as_user(client, world.user(Role.PROVINCE))

    def count():
        client.get("/api/roster-tasks/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/roster-tasks/").status_code == 200
        return len(captured)

    small = count()
    for code in ("130200", "130300", "130400"):
        RosterTask(campaign=world.campaign, organization=department(code), parent=world.roster, level="city").save()
    assert count() == small
