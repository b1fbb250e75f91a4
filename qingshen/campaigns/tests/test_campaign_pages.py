"""清审批次 pages: the list, the detail with everything the notice states, and the province's
create/edit form (what stays editable once the roster is published or the notice issued)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from qingshen.audit_trail.models import Event
from qingshen.campaigns import services
from qingshen.campaigns.models import Campaign, TargetRule
from qingshen.campaigns.tests.helpers import field_errors, messages_of, page_text
from qingshen.core.roles import Role
from qingshen.rosters.models import RosterTask

FORM = {
    "document_number": "冀环测〔2022〕5号", "batch": "第一批", "name": "2022年测试行业清洁生产审核", "year": "2022",
    "code": "2022-5", "scope": "测试行业企业", "issue_date": "2022-03-01", "deadline": "2022-03-20",
    "requirements": "按附件要求开展。", "letter_preamble": "根据测试要求，你公司列入2022年测试名单",
    "contact_person": "李测试", "contact_phone": "0311-11111111", "target_rules": ["1", "3"],
}


def form_data(**changes):
    data = {**FORM, **changes}
    data["target_rules"] = [str(TargetRule.objects.get(code=c).pk) for c in data["target_rules"]]
    return data


# --- list and detail -------------------------------------------------------------------------


def test_every_official_reads_the_list_with_its_own_counts(draft, client):
    client.force_login(draft.user(Role.COUNTY))
    response = client.get("/campaigns/")
    assert response.status_code == 200
    [row] = response.context["object_list"]
    assert row == draft.campaign and row.member_count == 1 and row.province_count == 1  # 涿州's one, 省直管
    client.force_login(draft.user(Role.PROVINCE))
    [row] = client.get("/campaigns/").context["object_list"]
    assert row.member_count == 4 and row.province_count == 2
    assert "新建清审批次" in page_text(client.get("/campaigns/"))


def test_the_detail_shows_the_notice_in_full(draft, client):
    client.force_login(draft.user(Role.CITY))
    response = client.get(f"/campaigns/{draft.campaign.pk}/")
    text = page_text(response)
    for expected in ("冀环测〔2021〕1号", "第二批", "测试批次清洁生产审核", "白洋淀流域涉水企业", "河北省生态环境厅",
                     "2021年9月30日", "按附件要求开展清洁生产审核。", "王测试", "0311-00000000",
                     "根据测试方案的工作要求，你公司列入测试批次清洁生产审核名单"):
        assert expected in text, expected
    for rule in TargetRule.objects.all():
        assert rule.text in text  # 审核目标 1–4 in full
    # the dates that apply in 保定市: its own evaluation application date
    assert "2022年2月1日" in text and "本地提前" in text
    assert f'href="/campaigns/{draft.campaign.pk}/edit/"' not in response.content.decode()
    assert "添加企业" not in text


def test_the_province_sees_edit_and_add_buttons_while_drafting(draft, client):
    client.force_login(draft.user(Role.PROVINCE))
    content = client.get(f"/campaigns/{draft.campaign.pk}/").content.decode()
    assert f'href="/campaigns/{draft.campaign.pk}/edit/"' in content
    assert f'href="/campaigns/{draft.campaign.pk}/members/add/"' in content
    assert "移出" in content


def test_an_enterprise_reads_its_campaign_and_only_its_own_line(draft, client):
    rosters_publish(draft)
    client.force_login(draft.user(Role.ENTERPRISE))
    response = client.get(f"/campaigns/{draft.campaign.pk}/")
    assert response.status_code == 200
    assert [m.enterprise for m in response.context["members"]] == [draft.e_zhuozhou]
    assert "修改记录" not in page_text(response)


def rosters_publish(world):
    from qingshen.rosters import services as rosters

    rosters.publish(world.user(Role.PROVINCE), world.roster, attested=True)


# --- create ----------------------------------------------------------------------------------


def test_the_province_creates_a_campaign(draft, client):
    client.force_login(draft.user(Role.PROVINCE))
    response = client.post("/campaigns/add/", form_data())
    campaign = Campaign.objects.get(code="2022-5")
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{campaign.pk}/"
    assert campaign.status == Campaign.Status.DRAFT and campaign.issue_date == date(2022, 3, 1)
    assert sorted(campaign.target_rules.values_list("code", flat=True)) == ["1", "3"]
    assert campaign.issuing_organization == draft.user(Role.PROVINCE).organization
    assert RosterTask.objects.get(campaign=campaign, level="province").status == RosterTask.Status.DRAFT
    assert Event.objects.filter(action="campaign.create", object_id=str(campaign.pk)).exists()


def test_a_half_filled_form_keeps_what_was_typed_and_says_what_is_missing(draft, client):
    client.force_login(draft.user(Role.PROVINCE))
    response = client.post("/campaigns/add/", {"name": "只填了名称的批次", "scope": "某流域", "year": "21",
                                               "issue_date": "2022-03-10", "deadline": "2022-03-01"})
    assert response.status_code == 200
    errors = field_errors(response)
    assert errors["document_number"] == ["该字段是必填项。"]
    assert errors["year"] == ["请填写四位年度，如 2021。"]
    assert errors["deadline"] == ["截止日期不能早于发布日期。"]
    content = response.content.decode()
    assert 'value="只填了名称的批次"' in content and 'value="某流域"' in content and 'value="2022-03-10"' in content
    assert "您已填写的内容都已保留" in page_text(response)
    assert not Campaign.objects.filter(name="只填了名称的批次").exists()


def test_a_code_in_use_is_refused_in_chinese(draft, client):
    client.force_login(draft.user(Role.PROVINCE))
    response = client.post("/campaigns/add/", form_data(code="2021-T1"))
    assert field_errors(response)["code"] == ["该批次代码已被其他清审批次使用。"]


def test_cities_may_not_create_or_edit(draft, client):
    client.force_login(draft.user(Role.CITY))
    assert client.get("/campaigns/add/").status_code == 403
    assert client.post(f"/campaigns/{draft.campaign.pk}/edit/", form_data()).status_code == 403


# --- edit ------------------------------------------------------------------------------------


def edit_data(campaign, **changes):
    data = {"document_number": campaign.document_number, "batch": campaign.batch, "name": campaign.name,
            "year": str(campaign.year), "code": campaign.code, "scope": campaign.scope,
            "issue_date": campaign.issue_date.isoformat() if campaign.issue_date else "",
            "deadline": campaign.deadline.isoformat() if campaign.deadline else "",
            "requirements": campaign.requirements, "letter_preamble": campaign.letter_preamble,
            "contact_person": campaign.contact_person, "contact_phone": campaign.contact_phone,
            "target_rules": [str(pk) for pk in campaign.target_rules.values_list("pk", flat=True)],
            "version": str(campaign.version)}
    data.update(changes)
    return data


def test_in_draft_everything_may_be_edited(draft, client):
    client.force_login(draft.user(Role.PROVINCE))
    url = f"/campaigns/{draft.campaign.pk}/edit/"
    rule_1 = str(TargetRule.objects.get(code="1").pk)
    response = client.post(url, edit_data(draft.campaign, name="改过的批次名称", code="2021-T9", target_rules=[rule_1]))
    assert response.status_code == 302
    campaign = Campaign.objects.get(pk=draft.campaign.pk)
    assert (campaign.name, campaign.code, campaign.version) == ("改过的批次名称", "2021-T9", 2)
    assert list(campaign.target_rules.values_list("code", flat=True)) == ["1"]
    event = Event.objects.filter(action="campaign.update").latest("seq")
    assert event.before["name"] == "测试批次清洁生产审核" and event.after["target_rules"] == ["1"]


def test_a_stale_edit_is_refused_and_the_input_kept(draft, client):
    client.force_login(draft.user(Role.PROVINCE))
    url = f"/campaigns/{draft.campaign.pk}/edit/"
    stale = edit_data(draft.campaign, scope="我改的范围")
    services.update_campaign(draft.user(Role.PROVINCE), draft.campaign, scope="别人改的范围")
    response = client.post(url, stale)
    assert response.status_code == 200
    assert "已被他人修改" in page_text(response)
    assert 'value="我改的范围"' in response.content.decode()
    assert Campaign.objects.get(pk=draft.campaign.pk).scope == "别人改的范围"


def test_once_published_the_identity_is_locked_but_the_notice_is_not(published, client):
    client.force_login(published.user(Role.PROVINCE))
    url = f"/campaigns/{published.campaign.pk}/edit/"
    form = client.get(url).context["form"]
    assert form.fields["name"].disabled and form.fields["code"].disabled and form.fields["target_rules"].disabled
    assert form.fields["name"].help_text == "名单已下发，不能再修改。"
    assert not form.fields["requirements"].disabled
    response = client.post(url, edit_data(published.campaign, name="偷偷改名", requirements="补充的通知要求。"))
    assert response.status_code == 302
    campaign = Campaign.objects.get(pk=published.campaign.pk)
    assert campaign.name == "测试批次清洁生产审核" and campaign.requirements == "补充的通知要求。"


def test_the_service_refuses_a_locked_field_in_chinese(published):
    with pytest.raises(ValidationError) as caught:
        services.update_campaign(published.user(Role.PROVINCE), published.campaign, code="2021-NEW")
    assert caught.value.message_dict["code"] == ["批次代码：名单已下发，不能再修改。"]


def test_once_the_notice_is_issued_its_content_is_locked_too(db):
    from conftest import CampaignWorld

    world = CampaignWorld("notified")
    world.campaign.refresh_from_db()
    locked = services.locked_fields(world.campaign)
    assert locked["requirements"] == "清审任务通知已发布，不能再修改。"
    assert set(locked) == set(services.EDITABLE_FIELDS)
    with pytest.raises(ValidationError):
        services.update_campaign(world.user(Role.PROVINCE), world.campaign, contact_phone="0311-99999999")


def test_saving_an_unchanged_form_writes_nothing(draft, client):
    client.force_login(draft.user(Role.PROVINCE))
    before = Event.objects.count()
    response = client.post(f"/campaigns/{draft.campaign.pk}/edit/", edit_data(draft.campaign), follow=True)
    assert "已保存" in " ".join(messages_of(response))
    assert Event.objects.count() == before
    assert Campaign.objects.get(pk=draft.campaign.pk).version == 1
