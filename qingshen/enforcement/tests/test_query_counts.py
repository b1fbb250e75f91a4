"""The list, its export, the API, the hand-overs and the history cost the same with few rows as
with many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingshen.audit_trail.services import record
from qingshen.core.roles import Role
from qingshen.enforcement.services import record_handover
from qingshen.enforcement.tests.helpers import (
    application,
    calendar,
    days,
    decided,
    dispatched_letter,
    made_up_members,
    project_of,
    set_status,
)
from qingshen.notifications.services import notify


def count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries)


def _grow(world, n):
    """n more listed enterprises of 涿州: 停产, with letters, some with failed reviews."""
    for index, member in enumerate(made_up_members(world, n)):
        dispatched_letter(world, member.enterprise, account=world.user(Role.ENTERPRISE))
        if index % 2:
            project = project_of(world, member, f"2021130681{90000 + member.pk:05d}")
            decided(project, "failed")


@pytest.mark.parametrize("url", ["/enforcement/?campaign={c}", "/enforcement/?campaign={c}&category=failed",
                                 "/api/enforcement-lists/?campaign={c}",
                                 "/enforcement/handovers/", "/api/enforcement-handovers/"])
def test_lists_constant(world, sign_in, url):
    calendar(world, disclosure=-1)
    set_status(world.e_zhuozhou, "suspended")
    url = url.format(c=world.campaign.pk)
    client = sign_in(world.user(Role.COUNTY))
    _grow(world, 2)
    record_handover(world.user(Role.COUNTY), world.campaign, recipient="测试执法大队", handed_on=days(0),
                    form_token="a")
    client.get(url)  # warm caches
    few = count(client, url)
    _grow(world, 12)
    record_handover(world.user(Role.COUNTY), world.campaign, category="failed", recipient="测试执法大队",
                    handed_on=days(0), form_token="b")
    many = count(client, url)
    assert many == few, f"{url}: {few} queries with 3 enterprises, {many} with 15"
    assert few <= 30, few


def test_history_constant(world, sign_in):
    calendar(world)
    member = world.member(world.e_zhuozhou)
    url = f"/enforcement/lines/{member.pk}/history/"
    client = sign_in(world.user(Role.CITY))

    def grow(start, n):
        for index in range(start, start + n):
            application(world.project, number=index)
            decided(world.project, "rectify", number=index, rectify_by=days(index))
            notify([world.user(Role.ENTERPRISE)], kind="reminder", title=f"测试提醒{index}", body="测试",
                   dedupe_key=f"due:{world.campaign.pk}:{member.pk}:disclosure:{index}:remind-1")
            record("test.more", obj=world.project, summary=f"测试事件{index}")

    grow(1, 1)
    client.get(url)
    few = count(client, url)
    grow(2, 10)
    many = count(client, url)
    assert many == few, f"{few} queries with 1 round, {many} with 11"
    page = client.get(url).content.decode()
    assert "测试提醒11" in page and "测试事件11" in page


def test_the_export_job_constant(world):
    """The background export (every line with its history) costs the same with 3 as with 15."""
    from qingshen.enforcement import export
    from qingshen.jobs.models import Job

    calendar(world, disclosure=-1)
    set_status(world.e_zhuozhou, "suspended")
    county = world.user(Role.COUNTY)
    job = Job.objects.create(owner=county, kind=export.EXPORT_KIND, title="测试",
                             params={"campaign": world.campaign.pk, "category": "all"})

    def run():
        with CaptureQueriesContext(connection) as captured:
            export.export_job(job, lambda done, total: None)
        return len(captured)

    _grow(world, 2)
    run()
    few = run()
    _grow(world, 12)
    assert run() == few
