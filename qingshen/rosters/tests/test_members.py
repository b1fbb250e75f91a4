"""企业清单: the per-row actions through htmx (each enterprise is one <tbody> the action replaces),
the same actions as plain posts, the filters, the files behind a row, and a constant number of
queries however long the list."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_enterprise
from qingshen.campaigns import services as campaigns
from qingshen.campaigns.models import CampaignEnterprise
from qingshen.core.roles import Role
from qingshen.rosters import services
from qingshen.rosters.models import RosterDecision, RosterTask
from qingshen.rosters.tests.helpers import blank_pdf, page_text, png, text_of
from qingshen.rosters.tests.test_cascade import as_user, url

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def dispatched(published):
    services.dispatch(published.user(Role.CITY), published.roster_task("130600"), attested=True)
    return published


def tbody_of(response, member):
    content = response.content.decode()
    assert content.startswith(f'<tbody id="member-{member.pk}"'), content[:200]
    assert content.rstrip().endswith("</tbody>")
    return content


@pytest.mark.django_db
def test_marking_no_through_htmx(dispatched, client):
    task = dispatched.roster_task("130681")
    member = dispatched.member(dispatched.e_zhuozhou)
    as_user(client, dispatched.user(Role.COUNTY))
    page = client.get(url("members", task)).content.decode()
    assert f'hx-get="{url("exclude", task, member.pk)}"' in page
    form = tbody_of(client.get(url("exclude", task, member.pk), **HTMX), member)
    assert 'hx-encoding="multipart/form-data"' in form and "情况说明" in form and "佐证材料" in form
    invalid = tbody_of(client.post(url("exclude", task, member.pk), {"reason": "停产", "expected_status": "pending"},
                                   **HTMX), member)
    assert "请上传佐证材料。" in invalid and "停产" in invalid
    done = tbody_of(client.post(url("exclude", task, member.pk),
                                {"reason": "停产", "evidence": [png()], "expected_status": "pending"}, **HTMX), member)
    assert 'data-status="excluded"' in done and "已将 涿州测试企业 标注为“否”。" in done
    assert "member-form" not in done and "恢复纳入" in done
    evidence = RosterDecision.objects.get(action="exclude").evidence.get()
    assert f'href="{url("file", task, evidence.pk)}"' in done
    kept = tbody_of(client.post(url("keep", task, member.pk), {"expected_status": "pending"}, **HTMX), member)
    assert 'data-status="included"' in kept and "已保留 涿州测试企业。" in kept
    cancel = tbody_of(client.get(url("member", task, member.pk), **HTMX), member)
    assert "member-form" not in cancel


@pytest.mark.django_db
def test_correcting_through_htmx_shows_old_and_new(dispatched, client):
    task = dispatched.roster_task("130681")
    member = dispatched.member(dispatched.e_zhuozhou)
    enterprise = dispatched.e_zhuozhou
    as_user(client, dispatched.user(Role.COUNTY))
    form = tbody_of(client.get(url("correct", task, member.pk), **HTMX), member)
    assert "是否双超" in form and "是否双有" in form and f'value="{enterprise.version}"' in form
    done = tbody_of(client.post(url("correct", task, member.pk), {
        "double_exceed": "false", "double_toxic": "true", "name": enterprise.name, "uscc": "", "address": "",
        "legal_representative": "李四", "status": "suspended", "permit_number": "", "version": enterprise.version,
        "expected_status": "pending"}, **HTMX), member)
    text = text_of(done)
    assert "修正是否双有： 否 → 是" in text
    assert "修正法定代表人： （空） → 李四" in text
    assert "修正企业状态： 运行 → 停产" in text
    enterprise.refresh_from_db()
    assert (enterprise.double_toxic, enterprise.legal_representative, enterprise.status) == (True, "李四", "suspended")
    assert RosterDecision.objects.filter(action="correct").count() == 3


@pytest.mark.django_db
def test_refusals_come_back_in_the_row(dispatched, client):
    task = dispatched.roster_task("130681")
    member = dispatched.member(dispatched.e_zhuozhou)
    services.submit(dispatched.user(Role.COUNTY), task, stamped_list=blank_pdf())
    as_user(client, dispatched.user(Role.COUNTY))
    row = tbody_of(client.get(url("exclude", task, member.pk), **HTMX), member)
    assert "任务已提交，不能再修改名单。" in row
    kept = tbody_of(client.post(url("keep", task, member.pk), {"expected_status": "pending"}, **HTMX), member)
    assert "该任务的状态已由“待确认”变为“已提交”" in kept


@pytest.mark.django_db
def test_plain_pages_for_the_same_actions(dispatched, client):
    task = dispatched.roster_task("130681")
    member = dispatched.member(dispatched.e_zhuozhou)
    as_user(client, dispatched.user(Role.COUNTY))
    page = client.get(url("exclude", task, member.pk))
    assert page.status_code == 200 and "标注“否”" in page_text(page)
    assert [label for label, _ in page.context["breadcrumbs"]] == ["任务管理", "名单核定任务", "企业清单", "标注“否”"]
    assert client.get(url("member", task, member.pk))["Location"].endswith(f"#member-{member.pk}")
    done = client.post(url("exclude", task, member.pk), {"reason": "停产", "evidence": [png()]})
    assert done.status_code == 302 and done["Location"] == f"{url('members', task)}#member-{member.pk}"


@pytest.mark.django_db
def test_filters_and_totals(dispatched, client):
    world = dispatched
    city_task = world.roster_task("130600")
    as_user(client, world.user(Role.CITY))
    everything = client.get(url("members", city_task))
    assert [m.enterprise.name for m in everything.context["members"]] == ["涿州测试企业", "莲池测试企业"]
    assert "共2家：纳入2，不纳入0，增补待审0" in page_text(everything).replace(" ", "")
    by_county = client.get(url("members", city_task) + "?county=130606")
    assert [m.enterprise.name for m in by_county.context["members"]] == ["莲池测试企业"]
    by_name = client.get(url("members", city_task) + "?q=涿州")
    assert [m.enterprise.name for m in by_name.context["members"]] == ["涿州测试企业"]
    # rows the counties are verifying are marked so, without actions
    assert all(m.locked_by_lower and not m.actionable for m in everything.context["members"])
    assert "涿州市生态环境分局核定中" in page_text(everything)


@pytest.mark.django_db
def test_a_county_sees_the_evidence_the_city_gave(published, client):
    """The city marks an enterprise 否 before dispatching; the county, checking the same
    enterprise, can open the city's evidence from its own list."""
    world = published
    city_task, member = world.roster_task("130600"), world.member(world.e_zhuozhou)
    services.exclude(world.user(Role.CITY), city_task, member, reason="已搬迁出流域", evidence=[png("搬迁证明.png")])
    services.dispatch(world.user(Role.CITY), city_task, attested=True)
    evidence = RosterDecision.objects.get().evidence.get()
    county_task = world.roster_task("130681")
    as_user(client, world.user(Role.COUNTY))
    page = page_text(client.get(url("members", county_task)))
    assert "保定市生态环境局" in page and "已搬迁出流域" in page and "搬迁证明.png" in page
    assert client.get(url("file", county_task, evidence.pk))["Content-Type"] == "image/png"
    # but not a file that belongs to nobody on its list
    as_user(client, world.other_county_user)
    assert client.get(url("file", world.roster_task("130606"), evidence.pk)).status_code == 404


def grow(world, task, count, start):
    """More enterprises on the list, each with decisions and evidence, and more lower tasks."""
    province = world.user(Role.PROVINCE)
    for n in range(start, start + count):
        enterprise = make_enterprise(f"规模企业{n}", "130681")
        member = CampaignEnterprise(campaign=world.campaign, enterprise=enterprise, reasons=["key_task"],
                                    status=CampaignEnterprise.Status.PROPOSED, proposed_by=task.organization, seq=n)
        member.save()
        decision = RosterDecision.objects.create(task=task, member=member, action=RosterDecision.Action.EXCLUDE,
                                                 reason="测试", decided_by=province)
        from qingshen.files.services import store

        decision.evidence.add(store(province, "证明.png", png().read()))
        RosterDecision.objects.create(task=task, member=member, action=RosterDecision.Action.CORRECT,
                                      field="double_exceed", old_value="否", new_value="是", decided_by=province)


def queries(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_list_step_costs_the_same_for_3_or_30_enterprises(dispatched, client):
    task = dispatched.roster_task("130681")
    as_user(client, dispatched.user(Role.COUNTY))
    grow(dispatched, task, 2, 100)
    small = queries(client, url("members", task))
    grow(dispatched, task, 27, 200)
    large = queries(client, url("members", task))
    assert large == small, (small, large)
    city = dispatched.user(Role.CITY)
    as_user(client, city)
    city_small = queries(client, url("members", dispatched.roster_task("130600")))
    grow(dispatched, task, 10, 300)
    assert queries(client, url("members", dispatched.roster_task("130600"))) == city_small


@pytest.mark.django_db
def test_the_task_list_costs_the_same_for_few_or_many_tasks(verified, client):
    from conftest import department
    from qingshen.campaigns.models import Campaign

    world = verified
    as_user(client, world.user(Role.PROVINCE))
    small = queries(client, "/rosters/?scope=all")
    for n in range(6):
        campaign = campaigns.create_campaign(world.user(Role.PROVINCE), document_number=f"测〔2022〕{n}号",
                                             batch="第一批", name=f"批次{n}", year=2022, code=f"2022-Q{n}", scope="测试")
        root = campaign.roster_tasks.get()
        for code in ("130600", "130100"):
            city_task = RosterTask(campaign=campaign, organization=department(code), parent=root, level="city")
            city_task.save()
            for county in ("130681", "130606") if code == "130600" else ("130102",):
                RosterTask(campaign=campaign, organization=department(county), parent=city_task, level="county").save()
    assert Campaign.objects.count() == 7
    assert queries(client, "/rosters/?scope=all") == small
    as_user(client, world.user(Role.CITY))
    assert re.search(r"区县 2 个", page_text(client.get("/rosters/")))
