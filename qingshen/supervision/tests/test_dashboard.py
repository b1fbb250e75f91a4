"""统计看板: each figure equals the list behind it, within the user's jurisdiction; the tables and
lists export to .xlsx; 发送提醒 reaches the enterprises' accounts once; the pages cost the same
number of queries whatever the number of projects."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from qingshen.campaigns.models import MilestoneKind
from qingshen.core.roles import Role
from qingshen.notifications.models import Message
from qingshen.options.models import Option
from qingshen.options.tests.helpers import make_option, project_for
from qingshen.projects.statistics import region_in_jurisdiction
from qingshen.reviews.tests.helpers import submit
from qingshen.supervision import dashboard

EVALUATION_APPLICATION = MilestoneKind.EVALUATION_APPLICATION.value


def names(user, campaign, **filters):
    return {m.enterprise.name for m in dashboard.members(user, campaign, dashboard.Filters(**filters))}


def figures_and_lists(user, campaign):
    """[(what, figure, length of the list behind it)] for every cell of every breakdown."""
    out = []
    for breakdown in (dashboard.by_region(user, campaign), dashboard.by_division(user, campaign),
                      dashboard.by_handling(user, campaign)):
        for row in [*breakdown.rows, breakdown.total]:
            where = {}
            if row.key and breakdown.param == "region":
                where["region"] = region_in_jurisdiction(user, row.key)
            elif row.key:
                where[breakdown.param] = row.key
            for stage, count in row.cells():
                listed = dashboard.members(user, campaign, dashboard.Filters(stage=stage, **where)).count()
                out.append((f"{breakdown.param}={row.key} {stage.key}", count, listed))
    return out


@pytest.fixture
def advanced(world):
    """莲池 accepted too; 涿州 has submitted its evaluation application (so it has started)."""
    project_for(world, world.e_lianchi, "202113060600001")
    submit(world, world.project)
    return world


@pytest.mark.parametrize("role", [Role.PROVINCE, Role.CITY, Role.COUNTY])
def test_every_figure_equals_the_list_behind_it(advanced, role):
    user = advanced.user(role)
    rows = figures_and_lists(user, advanced.campaign)
    assert rows and all(figure == listed for _, figure, listed in rows), [r for r in rows if r[1] != r[2]]


def test_the_stages_of_the_city(advanced):
    total = dashboard.by_region(advanced.user(Role.CITY), advanced.campaign).total.counts
    assert total == {"roster": 2, "notified": 1, "accepted": 2, "started": 1, "evaluation_applied": 1,
                     "evaluation_passed": 0, "implementing": 0, "acceptance_applied": 0, "acceptance_passed": 0}
    city = advanced.user(Role.CITY)
    assert names(city, advanced.campaign, stage=dashboard.STAGE_BY_KEY["evaluation_applied"]) == {"涿州测试企业"}
    assert names(city, advanced.campaign, stage=dashboard.STAGE_BY_KEY["accepted"]) == {"涿州测试企业", "莲池测试企业"}


def test_jurisdiction_bounds_every_figure(advanced):
    campaign = advanced.campaign
    county = dashboard.by_region(advanced.user(Role.COUNTY), campaign)
    assert [row.key for row in county.rows] == ["130681"] and county.total.counts["roster"] == 1
    city = dashboard.by_region(advanced.user(Role.CITY), campaign)
    assert [row.key for row in city.rows] == ["130606", "130681"]
    assert "长安测试企业" not in names(advanced.user(Role.CITY), campaign)
    province = dashboard.by_region(advanced.user(Role.PROVINCE), campaign)
    assert province.label == "地市" and province.total.counts["roster"] == 4
    assert {row.key for row in province.rows} >= {"130100", "130600"}
    assert dashboard.by_handling(advanced.user(Role.COUNTY), campaign).total.counts["roster"] == 1


def test_industries_and_handling_levels(advanced):
    city = advanced.user(Role.CITY)
    industries = dashboard.by_division(city, advanced.campaign)
    assert [(row.key, row.counts["roster"]) for row in industries.rows] == [("33", 2)]
    assert industries.rows[0].name.startswith("33 ")
    handling = dashboard.by_handling(city, advanced.campaign)
    assert [(row.name, row.counts["roster"]) for row in handling.rows] == [("省直管", 1), ("市直管", 1)]


def test_overdue_figures_and_their_lists(advanced):
    """保定 set 评估申请 for 2022-02-01: 莲池 has not applied (overdue), 涿州 applied late (done)."""
    city = advanced.user(Role.CITY)
    rows, any_count, _ = dashboard.overdue(city, advanced.campaign)
    counts = {kind: n for kind, _, n in rows}
    assert counts[EVALUATION_APPLICATION] == 1
    assert names(city, advanced.campaign, overdue=EVALUATION_APPLICATION) == {"莲池测试企业"}
    for kind, n in counts.items():
        assert len(names(city, advanced.campaign, overdue=kind)) == n
    assert len(names(city, advanced.campaign, overdue=dashboard.OVERDUE_ANY)) == any_count >= 1


def test_options_by_class_with_investment(advanced):
    lianchi = project_for(advanced, advanced.e_lianchi, "202113060600001")
    make_option(advanced.project, "F1", investment=Decimal("2.5"), water_saved=Decimal("10"))
    make_option(advanced.project, "F2", cost_class=Option.CostClass.HIGH, investment=Decimal("100"),
                status=Option.Status.IMPLEMENTED)
    make_option(lianchi, "F1", investment=Decimal("1"))
    make_option(lianchi, "F2", status=Option.Status.ABANDONED, investment=Decimal("50"))
    totals, enterprises = dashboard.options(advanced.user(Role.CITY), advanced.campaign)
    assert totals.all["low"].count == 2 and totals.all["low"].investment == Decimal("3.5")
    assert totals.all["high"].count == 1 and totals.implemented["total"].investment == Decimal("100")
    assert enterprises == {"low_all": 2, "high_all": 1, "total_all": 2, "low_implemented": 0,
                           "high_implemented": 1, "total_implemented": 1}
    for key, n in enterprises.items():
        assert len(names(advanced.user(Role.CITY), advanced.campaign, option=key)) == n
    assert dashboard.options(advanced.user(Role.COUNTY), advanced.campaign)[0].all["total"].count == 2


def test_the_page_links_each_figure_and_embeds_the_chart_figures(advanced, sign_in):
    client = sign_in(advanced.user(Role.CITY))
    page = client.get(reverse("supervision:dashboard"), {"campaign": advanced.campaign.pk})
    assert page.status_code == 200
    html = page.content.decode()
    base = f"{reverse('supervision:dashboard_list')}?campaign={advanced.campaign.pk}"
    assert f'{base}&amp;overdue={EVALUATION_APPLICATION}' in html
    assert f'{base}&amp;region=130681&amp;stage=evaluation_applied' in html
    assert 'id="dashboard-figures"' in html and "vendor/echarts/echarts.min.js" in html
    chart = page.context["chart"]
    assert [p["name"] for p in chart["regions"]] == ["涿州市", "莲池区"]  # ranked by progress
    listing = client.get(chart["regions"][0]["url"])
    assert [m.enterprise.name for m in listing.context["object_list"]] == ["涿州测试企业"]


def test_a_region_outside_or_an_unknown_value_is_404(advanced, sign_in):
    client = sign_in(advanced.user(Role.COUNTY))
    url = reverse("supervision:dashboard_list")
    campaign = advanced.campaign.pk
    assert client.get(url, {"campaign": campaign, "region": "130606"}).status_code == 404
    assert client.get(url, {"campaign": campaign, "stage": "nonsense"}).status_code == 404
    assert client.get(url, {"campaign": campaign, "overdue": "nonsense"}).status_code == 404
    assert client.get(url, {"campaign": campaign + 999}).status_code == 404
    assert client.get(url, {"campaign": campaign, "region": "130681"}).status_code == 200


def workbook_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content if response.streaming else
                                              [response.content]))).active
    return [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]


def test_each_table_exports_as_shown(advanced, sign_in):
    client = sign_in(advanced.user(Role.CITY))
    url = reverse("supervision:dashboard_export")
    regions = dashboard.by_region(advanced.user(Role.CITY), advanced.campaign)
    rows = workbook_rows(client.get(url, {"campaign": advanced.campaign.pk, "table": "regions"}))
    assert rows[0][:3] == ["区县", "名单企业", "已通知"]
    assert rows[1:] == [[row.name, *(n for _, n in row.cells()), row.progress]
                        for row in [*regions.rows, regions.total]]
    for name in ("stages", "industries", "handling", "overdue", "options", "benchmarks"):
        assert len(workbook_rows(client.get(url, {"campaign": advanced.campaign.pk, "table": name}))) > 1, name
    assert client.get(url, {"campaign": advanced.campaign.pk, "table": "nonsense"}).status_code == 404


def export_list(client, capture, params):
    """Start the list's export as its button does; the job runs when the request commits."""
    from qingshen.jobs.models import Job

    with capture(execute=True):
        response = client.post(reverse("supervision:dashboard_export"), params)
    job = Job.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    return job


def test_the_list_exports_its_enterprises_as_a_background_job(advanced, sign_in, django_capture_on_commit_callbacks):
    client = sign_in(advanced.user(Role.CITY))
    job = export_list(client, django_capture_on_commit_callbacks, {"campaign": advanced.campaign.pk, "stage": "accepted"})
    assert job.status == job.Status.SUCCEEDED and (job.progress_done, job.progress_total) == (2, 2)
    rows = workbook_rows(client.get(reverse("jobs:download", args=[job.pk])))
    assert rows[0][0] == "企业名称"
    assert sorted(row[0] for row in rows[1:]) == ["涿州测试企业", "莲池测试企业"]
    assert {row[6] for row in rows[1:]} == {advanced.project.number, "202113060600001"}


def test_a_list_export_names_only_what_the_official_may_see(advanced, sign_in, django_capture_on_commit_callbacks):
    """The county's export of the whole roster holds its own enterprise; a region outside is refused
    before any job starts."""
    from qingshen.jobs.models import Job

    client = sign_in(advanced.user(Role.COUNTY))
    job = export_list(client, django_capture_on_commit_callbacks, {"campaign": advanced.campaign.pk})
    assert [row[0] for row in workbook_rows(client.get(reverse("jobs:download", args=[job.pk])))[1:]] == ["涿州测试企业"]
    before = Job.objects.count()
    refused = client.post(reverse("supervision:dashboard_export"), {"campaign": advanced.campaign.pk, "region": "130606"})
    assert refused.status_code == 404 and Job.objects.count() == before


def test_reminders_reach_each_enterprise_once(world, sign_in):
    """Before the evaluation application: 涿州 (with an account) is overdue on it since 2022-02-01."""
    client = sign_in(world.user(Role.CITY))
    data = {"campaign": world.campaign.pk, "overdue": EVALUATION_APPLICATION}
    response = client.post(reverse("supervision:remind"), data, follow=True)
    assert response.status_code == 200
    said = [str(m) for m in response.context["messages"]]
    assert said and said[0].startswith("已向 2 家企业发送提醒。")  # 涿州 and 莲池 have accounts
    mine = Message.objects.filter(recipient=world.user(Role.ENTERPRISE), kind="reminder")
    assert mine.count() == 1
    message = mine.get()
    assert message.title == "督办提醒：完成方案制定并提出评估申请（已逾期）"
    assert "2022年2月1日" in message.body and message.link == world.project.get_absolute_url()
    again = client.post(reverse("supervision:remind"), data, follow=True)
    assert "今日已由您提醒过" in str(list(again.context["messages"])[0])
    assert mine.count() == 1


def test_the_county_reminds_only_its_own_and_the_enterprise_may_not(world, sign_in):
    client = sign_in(world.user(Role.COUNTY))
    client.post(reverse("supervision:remind"), {"campaign": world.campaign.pk})
    assert Message.objects.filter(recipient=world.user(Role.ENTERPRISE), kind="reminder").count() == 1
    assert not Message.objects.filter(recipient=world.other_enterprise_user, kind="reminder").exists()
    enterprise = sign_in(world.user(Role.ENTERPRISE))
    assert enterprise.post(reverse("supervision:remind"), {"campaign": world.campaign.pk}).status_code == 403
    assert enterprise.get(reverse("supervision:dashboard")).status_code == 403


def count_queries(client, url, params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


PAGES = [("supervision:dashboard", {}), ("supervision:dashboard_list", {"stage": "accepted"}),
         ("supervision:dashboard_list", {"overdue": dashboard.OVERDUE_ANY}),
         ("supervision:dashboard_export", {"table": "regions"})]


@pytest.mark.parametrize("name, params", PAGES)
def test_query_count_does_not_grow_with_projects(world, sign_in, name, params):
    client = sign_in(world.user(Role.PROVINCE))
    url, params = reverse(name), {"campaign": world.campaign.pk, **params}
    project_for(world, world.e_lianchi, "202113060600001")  # 2 projects
    make_option(world.project, "F1")
    count_queries(client, url, params)  # warm caches (content types, sessions)
    few = count_queries(client, url, params)
    for enterprise, number in ((world.e_changan, "202113010200001"), (world.e_dingzhou, "202113068200001")):
        make_option(project_for(world, enterprise, number), "F1")  # 4 projects
    assert count_queries(client, url, params) == few
