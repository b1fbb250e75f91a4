"""Supervision in the API: the due items by line with kind/state filters done in SQL, the
departments' reports due, and the dashboard's figures — each what the pages show, bounded by
the caller's jurisdiction, at a constant number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingshen.campaigns import services as campaigns
from qingshen.campaigns.models import MilestoneKind
from qingshen.core.roles import Role
from qingshen.options.tests.helpers import project_for
from qingshen.supervision import dashboard, due

K = MilestoneKind


def test_due_items_by_line_with_their_state(world, sign_in):
    body = sign_in(world.user(Role.CITY)).get("/api/due-items/", {"campaign": world.campaign.pk}).json()
    names = {row["enterprise"] for row in body["results"]}
    assert names == {"涿州测试企业", "莲池测试企业"} and body["count"] == 2  # 保定's lines only
    zhuozhou = next(row for row in body["results"] if row["enterprise"] == "涿州测试企业")
    applied = next(item for item in zhuozhou["items"] if item["kind"] == K.EVALUATION_APPLICATION)
    assert applied["due"] == "2022-02-01" and applied["state"] == "overdue" and applied["state_label"] == "已逾期"
    assert len(zhuozhou["items"]) == len(due.TRACKED)


def test_due_items_filtered_by_kind_and_state(world, sign_in):
    client = sign_in(world.user(Role.PROVINCE))
    body = client.get("/api/due-items/", {"campaign": world.campaign.pk, "kind": K.EVALUATION_APPLICATION,
                                          "state": "overdue"}).json()
    lines = due.lines(world.user(Role.PROVINCE), world.campaign)
    table, _ = due.counts(lines, due.Dates(world.campaign, lines))
    assert body["count"] == table[K.EVALUATION_APPLICATION]["overdue"] > 0
    assert all([item["kind"] for item in row["items"]] == [K.EVALUATION_APPLICATION] for row in body["results"])
    none = client.get("/api/due-items/", {"campaign": world.campaign.pk, "kind": K.EVALUATION_APPLICATION,
                                          "state": "on_time"}).json()
    assert none["count"] == 0 and none["results"] == []
    bad = client.get("/api/due-items/", {"kind": "nonsense"})
    assert bad.status_code == 400 and "时间节点“nonsense”不存在" in bad.json()["kind"]
    assert client.get("/api/due-items/", {"campaign": 999999}).status_code == 404


def test_the_enterprise_gets_its_own_line_only(world, sign_in):
    body = sign_in(world.user(Role.ENTERPRISE)).get("/api/due-items/").json()
    assert [row["enterprise"] for row in body["results"]] == ["涿州测试企业"]


def test_reports_due_of_the_jurisdiction(world, sign_in):
    campaigns.set_milestone(world.user(Role.PROVINCE), world.campaign, kind=K.WORK_SUMMARY,
                            due_date=world.campaign.created_at.date())
    body = sign_in(world.user(Role.COUNTY)).get("/api/report-items/").json()
    rows = body["results"]
    assert {row["organization"] for row in rows} == {world.user(Role.COUNTY).organization.name}
    work = next(row for row in rows if row["kind"] == K.WORK_SUMMARY)
    assert work["due"] == world.campaign.created_at.date().isoformat() and work["version"] is None
    assert sign_in(world.user(Role.ENTERPRISE)).get("/api/report-items/").status_code == 403


def test_the_dashboard_figures_are_the_pages(world, sign_in):
    body = sign_in(world.user(Role.CITY)).get("/api/dashboard/", {"campaign": world.campaign.pk}).json()
    regions = dashboard.by_region(world.user(Role.CITY), world.campaign)
    assert body["regions"][-1]["counts"] == regions.total.counts and body["regions"][-1]["name"] == "合计"
    assert [row["key"] for row in body["regions"][:-1]] == [row.key for row in regions.rows]
    rows, lines, _ = dashboard.overdue(world.user(Role.CITY), world.campaign)
    assert body["overdue"]["lines"] == lines
    assert {step["kind"]: step["lines"] for step in body["overdue"]["steps"]} == {k: n for k, _, n in rows}
    assert set(body["options"]["all"]) == {"low", "high", "total"}
    assert sign_in(world.user(Role.ENTERPRISE)).get("/api/dashboard/").status_code == 403


def test_query_counts_do_not_grow_with_the_roster(world, sign_in):
    client = sign_in(world.user(Role.PROVINCE))
    urls = ["/api/due-items/", "/api/due-items/?state=overdue", "/api/report-items/", "/api/dashboard/"]

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            out.append(len(captured))
        return out

    counts()
    few = counts()
    for enterprise, number in ((world.e_lianchi, "202113060600001"), (world.e_changan, "202113010200001")):
        project_for(world, enterprise, number)
    assert counts() == few
