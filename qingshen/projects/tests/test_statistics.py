"""任务统计: every level, for its jurisdiction, per campaign — who is on the roster, whose letter is
generated, stamped, dispatched (notified), who has accepted and who has not."""

import io

import pytest
from openpyxl import load_workbook

from qingshen.core.roles import Role
from qingshen.enterprises.tests.helpers import page_text
from qingshen.projects import statistics
from qingshen.projects.tests.conftest import sign_in
from qingshen.projects.tests.helpers import add_member, grow, queries_for

COLUMNS = [status.key for status in statistics.STATUSES]


def numbers(table) -> dict[str, list[int]]:
    """{region name: [roster, generated, stamped, dispatched, accepted, not_accepted]}, total as 合计."""
    return {row.region_name: [row.counts[key] for key in COLUMNS] for row in [*table.rows, table.total]}


# In the notified world: 涿州 notified (not accepted); 莲池's letter generated only (conftest);
# 长安 (石家庄) and 定州 on the roster only.
ZHUOZHOU = [1, 1, 1, 1, 0, 1]
LIANCHI = [1, 1, 0, 0, 0, 0]


def test_the_county_sees_its_own_row(notified):
    assert numbers(statistics.table(notified.user(Role.COUNTY), notified.campaign)) == {
        "涿州市": ZHUOZHOU, "合计": ZHUOZHOU}


def test_the_city_sees_a_row_per_county(notified):
    table = statistics.table(notified.user(Role.CITY), notified.campaign)
    assert table.group_level == "county" and [row.region_code for row in table.rows] == ["130606", "130681"]
    assert numbers(table) == {"莲池区": LIANCHI, "涿州市": ZHUOZHOU, "合计": [2, 2, 1, 1, 0, 1]}


def test_the_province_sees_a_row_per_city(notified):
    table = statistics.table(notified.user(Role.PROVINCE), notified.campaign)
    assert table.group_level == "city" and [row.region_code for row in table.rows] == ["130100", "130600", "130682"]
    assert numbers(table) == {"石家庄市": [1, 0, 0, 0, 0, 0], "保定市": [2, 2, 1, 1, 0, 1],
                              "定州市": [1, 0, 0, 0, 0, 0], "合计": [4, 2, 1, 1, 0, 1]}
    assert numbers(statistics.table(notified.user(Role.SYSADMIN), notified.campaign)) == numbers(table)


def test_a_city_without_counties_is_its_own_row(notified):
    assert numbers(statistics.table(notified.dingzhou_user, notified.campaign)) == {
        "定州市": [1, 0, 0, 0, 0, 0], "合计": [1, 0, 0, 0, 0, 0]}


def test_acceptance_moves_the_enterprise_from_not_accepted_to_accepted(accepted):
    assert numbers(statistics.table(accepted.user(Role.COUNTY), accepted.campaign))["涿州市"] == [1, 1, 1, 1, 1, 0]


def test_excluded_enterprises_are_not_counted(notified):
    from qingshen.campaigns.models import CampaignEnterprise

    CampaignEnterprise.objects.filter(pk=notified.member(notified.e_changan).pk).update(
        status=CampaignEnterprise.Status.EXCLUDED)
    assert "石家庄市" not in numbers(statistics.table(notified.user(Role.PROVINCE), notified.campaign))


def test_a_stamped_copy_of_an_older_revision_does_not_count(notified):
    from django.db.models import F

    from qingshen.notices.models import NoticeLetter

    NoticeLetter.objects.filter(pk=notified.letter.pk).update(revision=F("revision") + 1)
    assert numbers(statistics.table(notified.user(Role.COUNTY), notified.campaign))["涿州市"] == [1, 1, 0, 1, 0, 1]


# --- the pages -------------------------------------------------------------------------------


def test_the_page_links_every_number_to_its_enterprises(notified, client):
    sign_in(client, notified.user(Role.CITY))
    response = client.get(f"/projects/statistics/{notified.campaign.pk}/")
    page = response.content.decode()
    base = f"/projects/statistics/{notified.campaign.pk}/enterprises/"
    for key in COLUMNS:
        assert f'href="{base}?region=130681&amp;status={key}"' in page
        assert f'href="{base}?status={key}"' in page
    text = page_text(response)
    for words in ("区县", "名单企业", "已生成告知书", "已上传盖章版", "已下发（已通知）", "已接受", "未接受", "涿州市", "莲池区", "合计"):
        assert words in text


def test_the_index_shows_each_campaign(notified, client):
    sign_in(client, notified.user(Role.PROVINCE))
    response = client.get("/projects/statistics/")
    text = page_text(response)
    assert "测试批次清洁生产审核" in text and "地市" in text and "保定市" in text
    assert 'href="/projects/statistics/"' in response.content.decode()  # in the menu


@pytest.mark.parametrize("status, expected", [
    ("roster", {"涿州测试企业", "莲池测试企业"}),
    ("generated", {"涿州测试企业", "莲池测试企业"}),
    ("stamped", {"涿州测试企业"}),
    ("dispatched", {"涿州测试企业"}),
    ("accepted", set()),
    ("not_accepted", {"涿州测试企业"}),
])
def test_the_enterprises_behind_each_number(notified, client, status, expected):
    sign_in(client, notified.user(Role.CITY))
    response = client.get(f"/projects/statistics/{notified.campaign.pk}/enterprises/?status={status}")
    assert {m.enterprise.name for m in response.context["object_list"]} == expected


def test_who_has_accepted_and_who_has_not(accepted, client):
    sign_in(client, accepted.user(Role.COUNTY))
    base = f"/projects/statistics/{accepted.campaign.pk}/enterprises/?region=130681&status="
    response = client.get(base + "accepted")
    assert [m.enterprise.name for m in response.context["object_list"]] == ["涿州测试企业"]
    text = page_text(response)
    assert "202113068100001" in text and "张三" in text and "13800138000" in text
    assert list(client.get(base + "not_accepted").context["object_list"]) == []


def test_a_region_outside_the_jurisdiction_or_an_unknown_status_is_404(notified, client):
    sign_in(client, notified.user(Role.COUNTY))
    base = f"/projects/statistics/{notified.campaign.pk}/enterprises/"
    assert client.get(base + "?region=130606").status_code == 404
    assert client.get(base + "?region=130600").status_code == 404
    assert client.get(base + "?region=999999").status_code == 404
    assert client.get(base + "?status=everything").status_code == 404
    assert client.get(base + "?region=130681&status=roster").status_code == 200
    assert client.get("/projects/statistics/999999/").status_code == 404


def test_other_counties_see_only_theirs(notified, client):
    sign_in(client, notified.other_county_user)
    response = client.get(f"/projects/statistics/{notified.campaign.pk}/enterprises/")
    assert {m.enterprise.name for m in response.context["object_list"]} == {"莲池测试企业"}


def test_export_to_xlsx(notified, client):
    sign_in(client, notified.user(Role.CITY))
    response = client.get(f"/projects/statistics/{notified.campaign.pk}/export/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "filename*=utf-8''%E4%BB%BB%E5%8A%A1%E7%BB%9F%E8%AE%A1-2021-T1.xlsx" in response["Content-Disposition"]
    rows = [list(r) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert rows[0][0] == "测试批次清洁生产审核（冀环测〔2021〕1号）任务统计"
    assert rows[1][0].startswith("统计范围：保定市")
    assert rows[2] == ["区划代码", "区县", "名单企业", "已生成告知书", "已上传盖章版", "已下发（已通知）", "已接受", "未接受"]
    assert rows[3:] == [["130606", "莲池区", *LIANCHI], ["130681", "涿州市", *ZHUOZHOU], [None, "合计", 2, 2, 1, 1, 0, 1]]


# --- constant cost -----------------------------------------------------------------------------


def test_counts_with_many_enterprises(notified):
    grow(notified, 10)
    table = statistics.table(notified.user(Role.CITY), notified.campaign)
    # 10 per county, 2 at each stage: roster ≥ 0, generated ≥ 1, stamped ≥ 2, dispatched ≥ 3, accepted 4.
    assert numbers(table)["涿州市"] == [11, 9, 7, 5, 2, 3]
    assert numbers(table)["莲池区"] == [11, 9, 6, 4, 2, 2]


@pytest.mark.parametrize("role", [Role.PROVINCE, Role.CITY, Role.COUNTY])
def test_query_count_does_not_grow_with_enterprises(notified, client, role):
    sign_in(client, notified.user(role))
    campaign = notified.campaign.pk
    paths = ["/projects/statistics/", f"/projects/statistics/{campaign}/",
             f"/projects/statistics/{campaign}/enterprises/", f"/projects/statistics/{campaign}/enterprises/?status=accepted",
             f"/projects/statistics/{campaign}/export/", f"/api/audit-projects/statistics/?campaign={campaign}",
             "/api/audit-projects/statistics/"]
    grow(notified, 5)  # every stage once: no list is empty (an empty page skips a query)
    for path in paths:
        client.get(path)
    small = {path: queries_for(client, path) for path in paths}
    grow(notified, 20, start=5)
    large = {path: queries_for(client, path) for path in paths}
    assert large == small


def test_a_second_campaign_costs_no_more_queries(notified, client):
    from datetime import date

    from qingshen.campaigns import services as campaigns

    sign_in(client, notified.user(Role.PROVINCE))
    client.get("/projects/statistics/")
    one = queries_for(client, "/projects/statistics/")
    other = campaigns.create_campaign(notified.user(Role.PROVINCE), document_number="冀环测〔2022〕2号", batch="第一批",
                                      name="另一批次", year=2022, code="2022-T2", scope="测试", issue_date=date(2022, 1, 1))
    campaigns.add_member(notified.user(Role.PROVINCE), other, notified.e_changan, reasons=["key_task"],
                         handling_level="city")
    response = client.get("/projects/statistics/")
    assert len(response.context["tables"]) == 2
    assert queries_for(client, "/projects/statistics/") == one


def test_add_member_helper_reaches_each_stage(notified):
    member = add_member(notified, "阶段测试企业", "130681", "accepted")
    assert member.letter.dispatched_at and member.project.number.startswith("2021130681")
