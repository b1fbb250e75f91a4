"""Bad input and bad timing: each gets a clear Chinese message, what was typed stays in the form,
and nothing is half-done."""

import pytest

from conftest import department, make_user
from qingshen.campaigns.models import CampaignEnterprise
from qingshen.core.roles import Role
from qingshen.files.models import StoredFile
from qingshen.rosters import services
from qingshen.rosters.models import RosterDecision, RosterSubmission, RosterTask
from qingshen.rosters.tests.helpers import (
    FAKE_USCC_NEW, blank_pdf, exe_named_pdf, followed_messages, form_errors, page_text, png,
)
from qingshen.rosters.tests.test_cascade import as_user, url

Status = RosterTask.Status


@pytest.fixture
def dispatched(published):
    """Baoding has dispatched: 涿州 and 莲池 have tasks 待确认."""
    services.dispatch(published.user(Role.CITY), published.roster_task("130600"), attested=True)
    return published


def fresh(task):
    return RosterTask.objects.get(pk=task.pk)


def nothing_stored(before):
    return StoredFile.objects.count() == before


@pytest.mark.django_db
def test_a_county_that_submits_without_a_stamped_file(dispatched, client):
    task = dispatched.roster_task("130681")
    as_user(client, dispatched.user(Role.COUNTY))
    response = client.post(url("submit", task), {"expected_status": "pending"})
    assert response.status_code == 200
    assert form_errors(response) == {"stamped_list": ["请上传本级最终名单（盖章扫描件）。"]}
    assert fresh(task).status == Status.PENDING and not RosterSubmission.objects.filter(task=task).exists()


@pytest.mark.django_db
def test_an_executable_renamed_pdf_is_refused(dispatched, client):
    task = dispatched.roster_task("130681")
    before = StoredFile.objects.count()
    as_user(client, dispatched.user(Role.COUNTY))
    response = client.post(url("submit", task), {"stamped_list": exe_named_pdf(), "expected_status": "pending"})
    assert response.status_code == 200
    message = form_errors(response)["stamped_list"][0]
    assert "盖章名单.pdf" in message and "EXE" in message and "只能上传 PDF、JPG、PNG 文件" in message
    assert fresh(task).status == Status.PENDING and fresh(task).round == 0
    assert nothing_stored(before)


@pytest.mark.django_db
def test_a_no_without_reason_or_evidence(dispatched, client):
    task = dispatched.roster_task("130681")
    member = dispatched.member(dispatched.e_zhuozhou)
    as_user(client, dispatched.user(Role.COUNTY))
    response = client.post(url("exclude", task, member.pk), {"reason": "", "expected_status": "pending"})
    assert response.status_code == 200
    assert form_errors(response) == {"reason": ["请填写详细情况说明。"], "evidence": ["请上传佐证材料。"]}
    typed = client.post(url("exclude", task, member.pk), {"reason": "已停产两年", "expected_status": "pending"})
    assert form_errors(typed) == {"evidence": ["请上传佐证材料。"]}
    assert "已停产两年" in typed.content.decode()  # what was typed is still in the form
    member.refresh_from_db()
    assert member.status == CampaignEnterprise.Status.INCLUDED and not RosterDecision.objects.exists()


@pytest.mark.django_db
def test_evidence_that_is_not_a_document_leaves_nothing_behind(dispatched, client):
    task = dispatched.roster_task("130681")
    member = dispatched.member(dispatched.e_zhuozhou)
    before = StoredFile.objects.count()
    as_user(client, dispatched.user(Role.COUNTY))
    response = client.post(url("exclude", task, member.pk), {
        "reason": "已停产", "evidence": [png(), exe_named_pdf("停产证明.pdf")], "expected_status": "pending"})
    assert response.status_code == 200
    assert "停产证明.pdf" in form_errors(response)["evidence"][0]
    assert "已停产" in response.content.decode()
    member.refresh_from_db()
    assert member.status == CampaignEnterprise.Status.INCLUDED
    assert nothing_stored(before) and not RosterDecision.objects.exists()


@pytest.mark.django_db
def test_a_return_without_comments(dispatched, client):
    task = dispatched.roster_task("130681")
    services.submit(dispatched.user(Role.COUNTY), task, stamped_list=blank_pdf())
    as_user(client, dispatched.user(Role.CITY))
    response = client.post(url("review", task), {"decision": "return", "comments": "   ",
                                                 "expected_status": "submitted"})
    assert response.status_code == 200
    assert form_errors(response, "review_form") == {"comments": ["退回时请填写审核意见。"]}
    assert 'value="return" checked' in response.content.decode().replace('checked=""', "checked") or \
        response.context["review_form"]["decision"].value() == "return"
    assert fresh(task).status == Status.SUBMITTED
    assert RosterSubmission.objects.get(task=task).decision == ""
    with pytest.raises(Exception) as refused:
        services.send_back(dispatched.user(Role.CITY), task, "")
    assert "退回时请填写审核意见。" in str(refused.value)


@pytest.mark.django_db
def test_a_city_that_submits_before_every_county_is_approved(dispatched, client):
    world = dispatched
    services.submit(world.user(Role.COUNTY), world.roster_task("130681"), stamped_list=blank_pdf())
    services.approve(world.user(Role.CITY), world.roster_task("130681"))
    services.submit(world.other_county_user, world.roster_task("130606"), stamped_list=blank_pdf())
    city_task = world.roster_task("130600")
    before = StoredFile.objects.count()
    as_user(client, world.user(Role.CITY))
    page = client.get(url("submit", city_task))
    assert "下级任务尚未全部审核通过，暂不能提交：莲池区生态环境分局（已提交）。" in page_text(page)
    response = client.post(url("submit", city_task), {"stamped_list": blank_pdf(), "expected_status": "dispatched"})
    assert response.status_code == 200
    assert "下级任务尚未全部审核通过，暂不能提交：莲池区生态环境分局（已提交）。" in page_text(response)
    assert fresh(city_task).status == Status.DISPATCHED and nothing_stored(before)


@pytest.mark.django_db
def test_a_city_must_dispatch_before_it_submits(published, client):
    city_task = published.roster_task("130600")
    as_user(client, published.user(Role.CITY))
    response = client.post(url("submit", city_task), {"stamped_list": blank_pdf(), "expected_status": "pending"})
    assert "请先将任务下发至区县" in page_text(response)
    assert fresh(city_task).status == Status.PENDING


@pytest.mark.django_db
def test_a_double_click_on_submit_makes_one_round(dispatched, client):
    task = dispatched.roster_task("130681")
    as_user(client, dispatched.user(Role.COUNTY))
    first = client.post(url("submit", task), {"stamped_list": blank_pdf(), "expected_status": "pending"})
    assert first.status_code == 302
    second = client.post(url("submit", task), {"stamped_list": blank_pdf(), "expected_status": "pending"})
    assert second.status_code == 200
    assert "任务已提交（第 1 轮），正在等待上级审核，请勿重复提交。" in page_text(second)
    assert RosterSubmission.objects.filter(task=task).count() == 1 and fresh(task).round == 1
    # the service itself says so too, whatever the caller
    with pytest.raises(Exception) as refused:
        services.submit(dispatched.user(Role.COUNTY), task, stamped_list=blank_pdf())
    assert "请勿重复提交" in str(refused.value)


@pytest.mark.django_db
def test_a_double_click_on_dispatch_and_on_approve(dispatched, client):
    world = dispatched
    as_user(client, world.user(Role.CITY))
    again = client.post(url("dispatch", world.roster_task("130600")), {"attested": "on", "expected_status": "pending"})
    assert "请勿重复下发" in page_text(again)
    assert RosterTask.objects.filter(parent=world.roster_task("130600")).count() == 2
    task = world.roster_task("130606")
    services.submit(world.other_county_user, task, stamped_list=blank_pdf())
    client.post(url("review", task), {"decision": "approve", "expected_status": "submitted"})
    twice = client.post(url("review", task), {"decision": "approve", "expected_status": "submitted"})
    assert "该任务已审核通过，无需再次审核。" in page_text(twice)


@pytest.mark.django_db
def test_a_stale_review_page_is_refused(dispatched, client):
    """Two people at the city: one returns the county; the other, on the page still showing 已提交,
    approves. The approval is refused with what happened; the return stands."""
    world = dispatched
    task = world.roster_task("130681")
    services.submit(world.user(Role.COUNTY), task, stamped_list=blank_pdf())
    colleague = make_user("130600-wang", department("130600"), department=False)
    services.send_back(colleague, task, "请补充材料。")
    as_user(client, world.user(Role.CITY))
    response = client.post(url("review", task), {"decision": "approve", "expected_status": "submitted"})
    assert response.status_code == 200
    assert "该任务的状态已由“已提交”变为“已退回”（页面打开后已有人操作），请查看最新情况后再操作。" in page_text(response)
    assert fresh(task).status == Status.RETURNED


@pytest.mark.django_db
def test_a_stale_list_page_is_refused(dispatched, client):
    """The county's list is open in two tabs; the task is submitted from one, then 否 is clicked
    in the other."""
    world = dispatched
    task = world.roster_task("130681")
    member = world.member(world.e_zhuozhou)
    as_user(client, world.user(Role.COUNTY))
    client.post(url("submit", task), {"stamped_list": blank_pdf(), "expected_status": "pending"})
    response = client.post(url("exclude", task, member.pk), {"reason": "已停产", "evidence": [png()],
                                                            "expected_status": "pending"})
    assert "该任务的状态已由“待确认”变为“已提交”" in page_text(response)
    kept = client.post(url("keep", task, member.pk), {"expected_status": "pending"})
    assert "该任务的状态已由“待确认”变为“已提交”" in followed_messages(client, kept)[0]
    without_token = services.availability(world.user(Role.COUNTY), fresh(task), "edit")
    assert without_token == (False, "任务已提交，正在等待上级审核，不能再修改名单。")
    member.refresh_from_db()
    assert member.status == CampaignEnterprise.Status.INCLUDED


@pytest.mark.django_db
def test_a_stale_correction_is_refused_and_keeps_what_was_typed(dispatched, client):
    from qingshen.enterprises import services as enterprises

    world = dispatched
    task = world.roster_task("130681")
    member = world.member(world.e_zhuozhou)
    version = world.e_zhuozhou.version
    enterprises.update_enterprise(world.user(Role.CITY), world.e_zhuozhou, address="涿州市某路1号")
    as_user(client, world.user(Role.COUNTY))
    response = client.post(url("correct", task, member.pk), {
        "double_exceed": "true", "double_toxic": "false", "name": "涿州测试企业", "uscc": "", "address": "",
        "legal_representative": "张某", "status": "running", "permit_number": "", "version": version,
        "expected_status": "pending"})
    assert response.status_code == 200
    assert "该企业信息已被他人修改" in page_text(response)
    assert response.context["form"]["legal_representative"].value() == "张某"
    world.e_zhuozhou.refresh_from_db()
    assert world.e_zhuozhou.double_exceed is False and not RosterDecision.objects.exists()


@pytest.mark.django_db
def test_a_correction_that_changes_nothing_or_clashes(dispatched, client):
    from conftest import make_enterprise

    world = dispatched
    make_enterprise("涿州另一企业", "130681", uscc=FAKE_USCC_NEW)
    task = world.roster_task("130681")
    member = world.member(world.e_zhuozhou)
    as_user(client, world.user(Role.COUNTY))
    base = {"double_exceed": "false", "double_toxic": "false", "name": "涿州测试企业", "uscc": "", "address": "",
            "legal_representative": "", "status": "running", "permit_number": "",
            "version": world.e_zhuozhou.version, "expected_status": "pending"}
    unchanged = client.post(url("correct", task, member.pk), base)
    assert "没有修改任何信息。" in page_text(unchanged)
    clash = client.post(url("correct", task, member.pk), {**base, "uscc": FAKE_USCC_NEW.lower(),
                                                          "double_exceed": "true"})
    assert form_errors(clash)["uscc"] == ["该统一社会信用代码已登记在其他企业名下，请核实。"]
    world.e_zhuozhou.refresh_from_db()
    assert world.e_zhuozhou.double_exceed is False and not RosterDecision.objects.exists()  # all or none


@pytest.mark.django_db
def test_proposing_a_new_enterprise_checks_its_code_and_keeps_what_was_typed(dispatched, client):
    task = dispatched.roster_task("130681")
    as_user(client, dispatched.user(Role.COUNTY))
    data = {"source": "new", "name": "涿州漏报企业", "uscc": "", "region": "130681", "reasons": ["double_exceed"],
            "handling_level": "city", "expected_status": "pending"}
    missing = client.post(url("propose", task), data)
    assert form_errors(missing) == {"uscc": ["在此登记新企业须填写统一社会信用代码。"]}
    assert missing.context["form"]["name"].value() == "涿州漏报企业"
    wrong = client.post(url("propose", task), {**data, "uscc": "91130681MA00000017"})
    assert form_errors(wrong) == {"uscc": ["统一社会信用代码校验位错误，请核对。"]}
    outside = client.post(url("propose", task), {**data, "uscc": FAKE_USCC_NEW, "region": "130606"})
    assert "region" in form_errors(outside)
    no_reason = client.post(url("propose", task), {**data, "uscc": FAKE_USCC_NEW, "reasons": []})
    assert form_errors(no_reason) == {"reasons": ["请至少选择一项纳入原因。"]}
    nothing = client.post(url("propose", task), {"source": "registry", "reasons": ["double_exceed"],
                                                 "handling_level": "city", "expected_status": "pending"})
    assert form_errors(nothing) == {"enterprise": ["请先查询并选择要增补的企业。"]}
    assert not CampaignEnterprise.objects.filter(enterprise__name="涿州漏报企业").exists()
    from qingshen.enterprises.models import Enterprise

    assert not Enterprise.objects.filter(name="涿州漏报企业").exists()


@pytest.mark.django_db
def test_publishing_an_empty_roster_is_refused(db, client):
    from conftest import CampaignWorld
    from qingshen.campaigns import services as campaigns

    world = CampaignWorld("draft")
    other = campaigns.create_campaign(world.user(Role.PROVINCE), document_number="测〔2022〕1号", batch="第一批",
                                      name="空名单批次", year=2022, code="2022-T1", scope="测试")
    task = other.roster_tasks.get(level="province")
    as_user(client, world.user(Role.PROVINCE))
    page = client.get(url("dispatch", task))
    assert "名单中还没有企业，不能下发。" in page_text(page)
    response = client.post(url("dispatch", task), {"attested": "on", "expected_status": "draft"})
    assert "名单中还没有企业，不能下发。" in page_text(response)
    assert fresh(task).status == Status.DRAFT


@pytest.mark.django_db
def test_requirements_keep_what_was_typed_when_a_file_is_refused(published, client):
    task = published.roster_task("130600")
    as_user(client, published.user(Role.CITY))
    response = client.post(url("own", task), {"requirements": "10月15日前完成。", "attachments": [exe_named_pdf("通知.pdf")],
                                              "expected_status": "pending"})
    assert response.status_code == 200
    assert "通知.pdf" in page_text(response) and "EXE" in page_text(response)
    assert response.context["form"]["requirements"].value() == "10月15日前完成。"
    assert fresh(task).requirements == ""


@pytest.mark.django_db
def test_other_roles_cannot_act(dispatched, client):
    world = dispatched
    task = world.roster_task("130681")
    member = world.member(world.e_zhuozhou)
    as_user(client, world.user(Role.PERMIT_AUTHORITY))
    assert client.post(url("keep", task, member.pk)).status_code == 403
    as_user(client, world.user(Role.SYSADMIN))
    assert client.get(url("members", task)).status_code == 200
    assert client.post(url("submit", task), {"stamped_list": blank_pdf()}).status_code == 403
    as_user(client, world.other_county_user)
    assert client.post(url("submit", task), {"stamped_list": blank_pdf()}).status_code == 404
    as_user(client, world.user(Role.COUNTY))
    assert client.post(url("review", task), {"decision": "approve"}).status_code == 403
    assert fresh(task).status == Status.PENDING
