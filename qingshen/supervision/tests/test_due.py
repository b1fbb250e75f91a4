"""Due items computed from what happened: the letter dispatched, the first disclosure, the first
submissions, a passed review — against the calendar where each enterprise is."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qingshen.campaigns.models import MilestoneKind
from qingshen.core.roles import Role
from qingshen.options.tests.helpers import project_for
from qingshen.project_start.models import Disclosure
from qingshen.reviews.tests.helpers import submit
from qingshen.supervision import due

K = MilestoneKind


def by_kind(items, enterprise_name):
    return {item.kind: item for item in items if item.member.enterprise.name == enterprise_name}


def test_the_letter_dispatched_counts_as_notified_and_submissions_as_applied(world):
    items = by_kind(due.for_user(world.user(Role.PROVINCE), world.campaign), "涿州测试企业")
    assert items[K.NOTIFY].done == timezone.localdate()  # the world dispatched it today
    assert items[K.NOTIFY].state in (due.ON_TIME, due.LATE)
    applied = items[K.EVALUATION_APPLICATION]
    assert applied.done is None and applied.due == datetime.date(2022, 2, 1)  # 保定 tightened 3 月 1 日
    assert applied.state == due.OVERDUE and applied.days > 1000
    submit(world, world.project)
    items = by_kind(due.for_user(world.user(Role.PROVINCE), world.campaign), "涿州测试企业")
    assert items[K.EVALUATION_APPLICATION].state == due.LATE
    assert items[K.EVALUATION_APPLICATION].done == timezone.localdate()


def test_the_first_disclosure_date_is_the_disclosure(world):
    Disclosure.objects.create(project=world.project, disclosed_on=datetime.date(2021, 10, 20), channel="website")
    Disclosure.objects.create(project=world.project, disclosed_on=datetime.date(2021, 11, 5), channel="media")
    item = by_kind(due.for_user(world.user(Role.COUNTY), world.campaign), "涿州测试企业")[K.DISCLOSURE]
    assert item.done == datetime.date(2021, 10, 20) and item.state == due.ON_TIME  # due 2021-10-30


def test_jurisdiction_bounds_the_items(world):
    county = {item.member.enterprise.name for item in due.for_user(world.user(Role.COUNTY), world.campaign)}
    assert county == {"涿州测试企业"}
    city = {item.member.enterprise.name for item in due.for_user(world.user(Role.CITY), world.campaign)}
    assert "长安测试企业" not in city and "莲池测试企业" in city


def test_the_page_filters_and_costs_the_same_with_more_enterprises(world, sign_in):
    client = sign_in(world.user(Role.PROVINCE))
    url = reverse("supervision:due")
    page = client.get(url, {"campaign": world.campaign.pk, "state": "overdue", "kind": K.EVALUATION_APPLICATION})
    assert page.status_code == 200
    listed = page.context["items"]
    assert listed and all(item.state == due.OVERDUE and item.kind == K.EVALUATION_APPLICATION for item in listed)
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"campaign": world.campaign.pk})
    for enterprise, number in ((world.e_lianchi, "202113060600001"), (world.e_changan, "202113010200001")):
        project_for(world, enterprise, number)
    with CaptureQueriesContext(connection) as more:
        client.get(url, {"campaign": world.campaign.pk})
    assert len(more) == len(few)


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.CONSULTANCY])
def test_the_enterprise_side_sees_its_own(world, sign_in, role):
    items = sign_in(world.user(role)).get(reverse("supervision:due")).context["items"]
    assert {item.member.enterprise.name for item in items} == {"涿州测试企业"}


def test_the_states_counted_in_sql_agree_with_each_line_computed_in_python(world):
    """`due.counts` (one aggregate query, the state as an SQL condition) must say what the
    per-line items say, for every step and state — on time, late, overdue and open."""
    Disclosure.objects.create(project=world.project, disclosed_on=datetime.date(2021, 10, 20), channel="website")
    project_for(world, world.e_lianchi, "202113060600001")
    submit(world, world.project)  # late: 保定 wanted it by 2022-02-01
    user = world.user(Role.PROVINCE)
    in_python = {kind: dict.fromkeys(due.STATES, 0) for kind in due.TRACKED}
    for item in due.for_user(user, world.campaign):
        in_python[item.kind][item.state] += 1
    lines = due.lines(user, world.campaign)
    in_sql, overdue_any = due.counts(lines, due.Dates(world.campaign, lines))
    assert in_sql == in_python
    lighter, lighter_any = due.counts(lines, due.Dates(world.campaign, lines), states=(due.OVERDUE,))
    assert lighter == {kind: {due.OVERDUE: states[due.OVERDUE]} for kind, states in in_python.items()}
    assert lighter_any == overdue_any
    assert in_sql[K.DISCLOSURE][due.ON_TIME] == 1 and in_sql[K.EVALUATION_APPLICATION][due.LATE] == 1
    assert in_sql[K.EVALUATION_APPLICATION][due.OVERDUE] >= 1
    assert overdue_any == len({item.member.pk for item in due.for_user(user, world.campaign)
                               if item.state == due.OVERDUE})


def test_a_step_without_a_date_anywhere_is_open_not_an_empty_count(world):
    """No place has a date for a step (here: none at all) — the other figures must still count."""
    from qingshen.campaigns.models import Milestone

    Milestone.objects.filter(campaign=world.campaign, kind=K.DISCLOSURE).delete()
    lines = due.lines(world.user(Role.PROVINCE), world.campaign)
    table, _ = due.counts(lines, due.Dates(world.campaign, lines))
    assert table[K.DISCLOSURE][due.OPEN] == lines.count()
    assert table[K.EVALUATION_APPLICATION][due.OVERDUE] == lines.count()


def test_accepting_the_task_is_due_by_the_disclosure_date(world):
    """接受清审任务 has no date of its own: the letter asks for it by the disclosure date (2021-10-30)."""
    items = {item.member.enterprise.name: item for item in due.for_user(world.user(Role.CITY), world.campaign)
             if item.kind == due.ACCEPT}
    accepted = items["涿州测试企业"]
    assert accepted.title == "接受清审任务" and accepted.party == "enterprise"
    assert accepted.due == datetime.date(2021, 10, 30)
    assert accepted.done == timezone.localdate(world.project.accepted_at) and accepted.state == due.LATE
    assert items["莲池测试企业"].done is None and items["莲池测试企业"].state == due.OVERDUE  # no project yet
