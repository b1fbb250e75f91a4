"""The roster on the campaign page: the province adds registry enterprises to its draft roster
(one, several, or every match of a search), removes a wrong one; every official reads the
lines of its jurisdiction with filters and pagination, at a constant number of queries."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_enterprise
from qingshen.audit_trail.models import Event
from qingshen.campaigns import services, views
from qingshen.campaigns.models import CampaignEnterprise, HandlingLevel, Reason
from qingshen.campaigns.tests.helpers import field_errors, messages_of, page_text
from qingshen.core.roles import Role
from qingshen.enterprises.models import Enterprise
from qingshen.industries.models import Industry
from qingshen.regions.models import Region


def add_url(world):
    return f"/campaigns/{world.campaign.pk}/members/add/"


def bulk_enterprises(count, region_code, prefix):
    region = Region.objects.get(code=region_code)
    industry = Industry.objects.get(code="3360")
    rows = []
    for number in range(count):
        enterprise = Enterprise(name=f"{prefix}{number:03d}", region=region, industry=industry)
        enterprise.set_scope_from_region(region)
        rows.append(enterprise)
    return Enterprise.objects.bulk_create(rows)


# --- adding from the registry ---------------------------------------------------------------


def test_the_province_finds_enterprises_by_name_or_code(draft, client):
    new = make_enterprise("名录里的电镀厂", "130681", uscc="91130681MA00000016")
    client.force_login(draft.user(Role.PROVINCE))
    response = client.get(add_url(draft), {"q": "电镀厂"})
    assert [e.name for e in response.context["results"]] == ["名录里的电镀厂"]
    response = client.get(add_url(draft), {"q": "91130681ma0000"})
    assert [e.name for e in response.context["results"]] == [new.name]
    # an enterprise already on the roster is shown as such and cannot be ticked
    response = client.get(add_url(draft), {"q": "涿州测试企业"})
    [row] = response.context["results"]
    assert row.in_roster and "已在名单" in page_text(response)


def test_adding_with_several_reasons_and_the_handling_level(draft, client):
    new = make_enterprise("名录里的电镀厂", "130681")
    client.force_login(draft.user(Role.PROVINCE))
    response = client.post(add_url(draft), {
        "query": "q=电镀厂", "enterprises": [new.pk], "reasons": ["double_exceed", "double_toxic"],
        "handling_level": "province"}, follow=True)
    member = CampaignEnterprise.objects.get(campaign=draft.campaign, enterprise=new)
    assert member.reasons == ["double_exceed", "double_toxic"] and member.handling_level == HandlingLevel.PROVINCE
    assert member.reason_labels == ["双超", "双有"] and member.seq == 5
    assert "已将 1 家企业加入名单。" in messages_of(response)
    assert response.redirect_chain[-1][0] == f"{add_url(draft)}?q=%E7%94%B5%E9%95%80%E5%8E%82"
    event = Event.objects.filter(action="campaign.add_member").latest("seq")
    assert event.after["reasons"] == ["double_exceed", "double_toxic"]


def test_a_double_submit_adds_once(draft, client):
    new = make_enterprise("名录里的电镀厂", "130681")
    client.force_login(draft.user(Role.PROVINCE))
    data = {"query": "q=电镀厂", "enterprises": [new.pk], "reasons": ["key_task"], "handling_level": "city"}
    client.post(add_url(draft), data, follow=True)
    response = client.post(add_url(draft), data, follow=True)
    assert CampaignEnterprise.objects.filter(campaign=draft.campaign, enterprise=new).count() == 1
    assert messages_of(response) == ["1 家企业已在名单中，未重复添加：名录里的电镀厂。"]
    assert Event.objects.filter(action="campaign.add_member", object_repr__contains="名录里的电镀厂").count() == 1


def test_a_form_without_reasons_comes_back_with_the_choices_kept(draft, client):
    first = make_enterprise("名录企业甲", "130681")
    second = make_enterprise("名录企业乙", "130681")
    client.force_login(draft.user(Role.PROVINCE))
    response = client.post(add_url(draft), {"query": "q=名录企业", "enterprises": [second.pk],
                                             "handling_level": "province"})
    assert response.status_code == 200
    assert field_errors(response)["reasons"] == ["请至少选择一项纳入原因（双超、双有、综合能耗高、重点工作任务）。"]
    content = response.content.decode()
    assert f'value="{second.pk}" aria-label="选择 名录企业乙" checked' in content
    assert f'value="{first.pk}" aria-label="选择 名录企业甲">' in content
    assert re.search(r'name="handling_level" value="province"[^>]*checked', content)
    assert {e.name for e in response.context["results"]} == {"名录企业甲", "名录企业乙"}
    assert not CampaignEnterprise.objects.filter(enterprise__in=[first, second]).exists()


def test_nothing_ticked_says_so(draft, client):
    client.force_login(draft.user(Role.PROVINCE))
    response = client.post(add_url(draft), {"query": "q=x", "reasons": ["key_task"], "handling_level": "city"})
    assert "请在查询结果中勾选要加入名单的企业。" in page_text(response)


def test_adding_every_match_of_a_county_search(draft, client):
    bulk_enterprises(6, "130681", "涿州批量")
    client.force_login(draft.user(Role.PROVINCE))
    response = client.post(add_url(draft), {"query": "region=130681", "all_matching": "on", "reasons": ["key_task"],
                                            "handling_level": "city"}, follow=True)
    zhuozhou = CampaignEnterprise.objects.filter(campaign=draft.campaign, enterprise__region_id="130681")
    assert zhuozhou.count() == 7  # 涿州测试企业 was already there
    assert messages_of(response) == ["已将 6 家企业加入名单。", "1 家企业已在名单中，未重复添加：涿州测试企业。"]


def test_adding_every_match_needs_a_search_and_a_limit(draft, client, monkeypatch):
    bulk_enterprises(3, "130681", "涿州批量")
    client.force_login(draft.user(Role.PROVINCE))
    data = {"query": "", "all_matching": "on", "reasons": ["key_task"], "handling_level": "city"}
    assert "请先输入查询条件" in page_text(client.post(add_url(draft), data))
    monkeypatch.setattr(views, "BULK_LIMIT", 2)
    response = client.post(add_url(draft), {**data, "query": "region=130681"})
    assert "符合条件的企业超过 2 家，请缩小查询范围" in page_text(response)
    assert CampaignEnterprise.objects.filter(campaign=draft.campaign).count() == 4


def test_nothing_is_added_once_the_roster_is_published(published, client):
    new = make_enterprise("名录里的电镀厂", "130681")
    client.force_login(published.user(Role.PROVINCE))
    response = client.get(add_url(published))
    assert "名单已下发，不能再直接增删企业" in page_text(response)
    response = client.post(add_url(published), {"query": "", "enterprises": [new.pk], "reasons": ["key_task"],
                                                 "handling_level": "city"})
    assert "名单已下发" in page_text(response)
    assert not CampaignEnterprise.objects.filter(enterprise=new).exists()


def test_only_the_province_builds_the_roster(draft, client):
    new = make_enterprise("名录里的电镀厂", "130681")
    client.force_login(draft.user(Role.CITY))
    assert client.get(add_url(draft)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.add_members(draft.user(Role.CITY), draft.campaign, [new], reasons=["key_task"],
                             handling_level="city")


def test_the_service_checks_reasons_and_level(draft):
    new = make_enterprise("名录里的电镀厂", "130681")
    province = draft.user(Role.PROVINCE)
    with pytest.raises(ValidationError) as caught:
        services.add_members(province, draft.campaign, [new], reasons=[], handling_level="city")
    assert "请至少选择一项纳入原因" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        services.add_members(province, draft.campaign, [new], reasons=["key_task"], handling_level="county")
    assert caught.value.message_dict["handling_level"] == ["请选择办理机构（省直管或市直管）。"]


# --- removing ----------------------------------------------------------------------------------


def test_the_province_removes_a_wrongly_added_enterprise_while_drafting(draft, client):
    member = draft.member(draft.e_lianchi)
    client.force_login(draft.user(Role.PROVINCE))
    response = client.post(f"/campaigns/{draft.campaign.pk}/members/{member.pk}/remove/", follow=True)
    assert "已将 莲池测试企业 移出名单。" in messages_of(response)
    assert not CampaignEnterprise.objects.filter(pk=member.pk).exists()
    event = Event.objects.get(action="campaign.remove_member")
    assert event.before["enterprise"] == draft.e_lianchi.pk and event.object_id == str(member.pk)
    # the next enterprise added does not reuse a number still on the list
    new = make_enterprise("名录里的电镀厂", "130681")
    [added], _ = services.add_members(draft.user(Role.PROVINCE), draft.campaign, [new], reasons=["key_task"],
                                      handling_level="city")
    assert added.seq == 5


def test_removing_is_refused_once_published(published, client):
    member = published.member(published.e_lianchi)
    client.force_login(published.user(Role.PROVINCE))
    response = client.post(f"/campaigns/{published.campaign.pk}/members/{member.pk}/remove/", follow=True)
    assert messages_of(response) == ["名单已下发，不能再直接增删企业；下级可在名单核定中增补或标注为否。"]
    assert CampaignEnterprise.objects.filter(pk=member.pk).exists()
    with pytest.raises(ValidationError):
        services.remove_member(published.user(Role.PROVINCE), member)


def test_a_city_may_not_remove(draft, client):
    member = draft.member(draft.e_lianchi)
    client.force_login(draft.user(Role.CITY))
    assert client.post(f"/campaigns/{draft.campaign.pk}/members/{member.pk}/remove/").status_code == 403


# --- reading the roster: filters, pagination, queries -----------------------------------------


def members_shown(client, world, query=""):
    response = client.get(f"/campaigns/{world.campaign.pk}/?{query}")
    assert response.status_code == 200
    return {m.enterprise.name for m in response.context["members"]}


@pytest.fixture
def varied(draft):
    """The world's four lines, one of them excluded, one proposed, with varied reasons."""
    lianchi = draft.member(draft.e_lianchi)
    lianchi.reasons = ["double_exceed", "double_toxic"]
    lianchi.status = CampaignEnterprise.Status.EXCLUDED
    lianchi.save()
    dingzhou = draft.member(draft.e_dingzhou)
    dingzhou.reasons = ["high_energy"]
    dingzhou.status = CampaignEnterprise.Status.PROPOSED
    dingzhou.save()
    return draft


@pytest.mark.parametrize("query, expected", [
    ("", {"涿州测试企业", "莲池测试企业", "长安测试企业", "定州测试企业"}),
    ("county=130681", {"涿州测试企业"}),
    ("county=130682", {"定州测试企业"}),
    ("handling_level=province", {"涿州测试企业", "长安测试企业"}),
    ("handling_level=city", {"莲池测试企业", "定州测试企业"}),
    ("status=included", {"涿州测试企业", "长安测试企业"}),
    ("status=excluded", {"莲池测试企业"}),
    ("status=proposed", {"定州测试企业"}),
    ("reason=double_toxic", {"莲池测试企业"}),
    ("reason=key_task", {"涿州测试企业", "长安测试企业"}),
    ("reason=high_energy&handling_level=city", {"定州测试企业"}),
    ("q=长安", {"长安测试企业"}),
])
def test_the_province_filters_the_roster(varied, client, query, expected):
    client.force_login(varied.user(Role.PROVINCE))
    assert members_shown(client, varied, query) == expected


def test_each_official_reads_the_lines_of_its_jurisdiction(varied, client):
    client.force_login(varied.user(Role.CITY))
    assert members_shown(client, varied) == {"涿州测试企业", "莲池测试企业"}
    assert members_shown(client, varied, "status=excluded") == {"莲池测试企业"}
    client.force_login(varied.user(Role.COUNTY))
    assert members_shown(client, varied) == {"涿州测试企业"}
    response = client.get(f"/campaigns/{varied.campaign.pk}/")
    assert [r.code for r in response.context["filterset"].form.fields["county"].queryset] == ["130681"]


def test_an_unknown_filter_value_shows_an_error_not_a_crash(draft, client):
    client.force_login(draft.user(Role.PROVINCE))
    response = client.get(f"/campaigns/{draft.campaign.pk}/?reason=nonsense&county=999999")
    assert response.status_code == 200
    assert "选择一个有效的选项" in page_text(response)


def add_lines(world, count, start):
    rows = bulk_enterprises(count, "130681", f"分页企业{start}-")
    CampaignEnterprise.objects.bulk_create([
        CampaignEnterprise(campaign=world.campaign, enterprise=e, reasons=["key_task"], handling_level="city",
                           seq=start + n, province_code="130000", city_code="130600", county_code="130681")
        for n, e in enumerate(rows)
    ])


def test_the_roster_is_paginated(draft, client):
    add_lines(draft, 60, 100)
    client.force_login(draft.user(Role.COUNTY))
    response = client.get(f"/campaigns/{draft.campaign.pk}/?handling_level=city")
    assert len(response.context["members"]) == 50 and response.context["page_obj"].paginator.count == 60
    assert 'href="?handling_level=city&page=2"' in response.content.decode()
    response = client.get(f"/campaigns/{draft.campaign.pk}/?handling_level=city&page=2")
    assert len(response.context["members"]) == 10


@pytest.mark.parametrize("role", [Role.PROVINCE, Role.COUNTY, Role.ENTERPRISE])
def test_the_campaign_page_costs_the_same_with_more_lines(draft, client, role):
    client.force_login(draft.user(role))
    url = f"/campaigns/{draft.campaign.pk}/"
    add_lines(draft, 3, 100)
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    small = count()
    add_lines(draft, 40, 200)
    assert count() == small


def test_the_list_and_the_add_page_cost_the_same_with_more_rows(draft, client):
    client.force_login(draft.user(Role.PROVINCE))
    urls = ["/campaigns/", f"{add_url(draft)}?region=130681", f"/campaigns/{draft.campaign.pk}/calendar/"]
    for url in urls:
        client.get(url)
    add_lines(draft, 3, 100)
    small = {}
    for url in urls:
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        small[url] = len(context)
    add_lines(draft, 40, 200)
    for url in urls:
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        assert len(context) == small[url], url


def test_reasons_are_kept_in_the_notices_order_of_choice(draft):
    assert [label for _, label in Reason.choices] == ["双超", "双有", "综合能耗高", "重点工作任务"]
