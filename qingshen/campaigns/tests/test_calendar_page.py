"""The 时间节点 page: each official reads the dates that apply in its region, the province's
full calendar and each level's own entries, and sets or tightens its own level's dates."""

from datetime import date

from qingshen.campaigns.models import Milestone, MilestoneKind
from qingshen.campaigns.tests.helpers import field_errors, messages_of, page_text
from qingshen.core.roles import Role


def url(world):
    return f"/campaigns/{world.campaign.pk}/calendar/"


def test_a_county_reads_the_dates_that_apply_to_it_and_every_level(draft, client):
    client.force_login(draft.user(Role.COUNTY))
    response = client.get(url(draft))
    text = page_text(response)
    assert "适用的时间节点 （适用于涿州市）" in text
    assert "2022年2月1日" in text and "保定市 (2021)—34 本地提前" in text  # the city's date applies here
    assert "自企业名单公布后 10 日内" in text  # the province's relative date, unresolved
    assert [m.kind for m in response.context["province_entries"]] == [
        MilestoneKind.NOTIFY, MilestoneKind.DISCLOSURE, MilestoneKind.EVALUATION_APPLICATION,
        MilestoneKind.EVALUATION_DONE, MilestoneKind.ACCEPTANCE_APPLICATION, MilestoneKind.ACCEPTANCE_DONE]
    assert [(r.code, [m.due_date for m in ms]) for r, ms in response.context["level_entries"]] == [
        ("130600", [date(2022, 2, 1)])]
    assert "设定本级时间节点（涿州市）" in text
    assert "days_after_publication" not in response.context["form"].fields  # only the province uses it


def test_a_city_sets_an_earlier_date_with_its_document_number(draft, client):
    client.force_login(draft.user(Role.CITY))
    response = client.post(url(draft), {"kind": "evaluation_done", "due_date": "2022-02-28",
                                        "document_number": "(2021)—34"}, follow=True)
    assert messages_of(response) == ["已设定时间节点：完成评估。"]
    milestone = Milestone.objects.get(campaign=draft.campaign, region_id="130600", kind="evaluation_done")
    assert (milestone.due_date, milestone.document_number, milestone.party) == (
        date(2022, 2, 28), "(2021)—34", "handling_level")


def test_a_later_date_is_refused_on_the_field_with_the_typed_values_kept(draft, client):
    client.force_login(draft.user(Role.CITY))
    response = client.post(url(draft), {"kind": "acceptance_done", "due_date": "2022-07-15",
                                        "label": "市级补充说明", "document_number": "(2021)—34"})
    assert response.status_code == 200
    [message] = field_errors(response)["due_date"]
    assert message.startswith("不能晚于上级规定的日期：2022年06月30日（河北省")
    assert message.endswith("下级只能提前，不能推迟。")
    content = response.content.decode()
    assert 'value="2022-07-15"' in content and 'value="(2021)—34"' in content and 'value="市级补充说明"' in content
    assert '<option value="acceptance_done" selected>' in content
    assert not Milestone.objects.filter(region_id="130600", kind="acceptance_done").exists()


def test_an_extra_milestone_needs_its_name_and_party(draft, client):
    client.force_login(draft.user(Role.CITY))
    response = client.post(url(draft), {"kind": "extra", "due_date": "2021-10-28"})
    errors = field_errors(response)
    assert errors["label"] == ["请填写该时间节点的名称。"] and errors["party"] == ["请选择“其他”节点的责任方。"]
    response = client.post(url(draft), {"kind": "extra", "due_date": "2021-10-28", "party": "county",
                                        "label": "清洁生产审核合同原件报市生态环境局",
                                        "document_number": "(2021)—34"}, follow=True)
    assert "已设定时间节点：清洁生产审核合同原件报市生态环境局。" in messages_of(response)
    client.force_login(draft.user(Role.COUNTY))
    assert "清洁生产审核合同原件报市生态环境局 县级生态环境部门 2021年10月28日" in page_text(client.get(url(draft)))


def test_a_date_is_required(draft, client):
    client.force_login(draft.user(Role.COUNTY))
    response = client.post(url(draft), {"kind": "evaluation_done"})
    assert field_errors(response)["due_date"] == ["请填写截止日期。"]


def test_the_province_may_give_days_after_publication(draft, client):
    client.force_login(draft.user(Role.PROVINCE))
    response = client.post(url(draft), {"kind": "permit_updated", "days_after_publication": "60",
                                        "document_number": "冀环测〔2021〕1号"})
    assert response.status_code == 302
    milestone = Milestone.objects.get(campaign=draft.campaign, region_id="130000", kind="permit_updated")
    assert milestone.due_date is None and milestone.days_after_publication == 60


def test_the_edit_link_prefills_the_own_entry(draft, client):
    client.force_login(draft.user(Role.CITY))
    response = client.get(url(draft), {"kind": "evaluation_application"})
    form = response.context["form"]
    assert form.initial["due_date"] == date(2022, 2, 1) and form.initial["document_number"] == "(2021)—34"
    assert 'href="?kind=evaluation_application#milestone-form"' in response.content.decode()


def test_a_city_reads_its_counties_entries(draft, client):
    from qingshen.campaigns import services

    services.set_milestone(draft.user(Role.COUNTY), draft.campaign, kind="evaluation_done", due_date=date(2022, 3, 20))
    client.force_login(draft.user(Role.CITY))
    entries = client.get(url(draft)).context["level_entries"]
    assert [r.code for r, _ in entries] == ["130600", "130681"]
    client.force_login(draft.other_city_user)
    assert client.get(url(draft)).context["level_entries"] == []


def test_readers_without_the_permission_see_no_form_and_may_not_post(draft, client):
    for role in (Role.PERMIT_AUTHORITY, Role.ENTERPRISE, Role.SYSADMIN):
        client.force_login(draft.user(role))
        response = client.get(url(draft))
        assert response.status_code == 200 and not response.context["can_set"]
        assert "设定本级时间节点" not in page_text(response)
        assert client.post(url(draft), {"kind": "evaluation_done", "due_date": "2022-01-01"}).status_code == 403
    client.force_login(draft.user(Role.ENTERPRISE))
    text = page_text(client.get(url(draft)))
    assert "（适用于涿州市）" in text and "2022年2月1日" in text


def test_the_menu_entry_opens_the_latest_campaigns_calendar(draft, client):
    client.force_login(draft.user(Role.COUNTY))
    response = client.get("/campaigns/calendar/")
    assert response.status_code == 302 and response["Location"] == url(draft)
    menu = client.get("/").content.decode()
    assert 'href="/campaigns/calendar/">时间节点</a>' in menu and 'href="/campaigns/">清审批次</a>' in menu
    client.force_login(draft.user(Role.ENTERPRISE))
    assert 'href="/campaigns/"' not in client.get("/").content.decode()


def test_the_edit_link_of_an_extra_entry_prefills_it_and_a_bad_id_is_ignored(draft, client):
    from qingshen.campaigns import services

    extra = services.set_milestone(draft.user(Role.CITY), draft.campaign, kind="extra", label="合同原件报市",
                                   party="county", due_date=date(2021, 10, 28))
    client.force_login(draft.user(Role.CITY))
    form = client.get(url(draft), {"id": extra.pk}).context["form"]
    assert form.initial["label"] == "合同原件报市" and form.initial["party"] == "county"
    assert client.get(url(draft), {"id": "abc", "kind": "nonsense"}).context["form"].initial == {}
