"""Two requests at the same moment (a double click on 提交, two reviewers at once): the task row is
locked, so the second waits, then finds the task moved on and is refused with a clear message;
there is never a second round.

These tests commit, so they use `transactional_db`, and need a database where writers
wait: PostgreSQL, or the suite's SQLite file (see tests/concurrency.py).
"""

import pytest
from django.core.exceptions import ValidationError

from conftest import CampaignWorld, department, make_user
from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.rosters import services
from qingshen.rosters.models import RosterSubmission, RosterTask
from qingshen.rosters.tests.helpers import blank_pdf
from tests.concurrency import all_at_once, concurrent_writers

pytestmark = concurrent_writers


@pytest.fixture
def dispatched(transactional_db):
    world = CampaignWorld("published")
    services.dispatch(world.user(Role.CITY), world.roster_task("130600"), attested=True)
    return world


def test_a_double_click_on_submit_at_the_same_moment_makes_one_round(dispatched):
    county, task = dispatched.user(Role.COUNTY), dispatched.roster_task("130681")
    outcomes = all_at_once([
        lambda: services.submit(county, task, stamped_list=blank_pdf(), expected_status="pending").round,
        lambda: services.submit(county, task, stamped_list=blank_pdf(), expected_status="pending").round,
    ])
    rounds = [result for result, exc in outcomes if exc is None]
    refusals = [exc for _, exc in outcomes if exc is not None]
    assert rounds == [1]
    assert len(refusals) == 1 and isinstance(refusals[0], ValidationError)
    assert refusals[0].messages == ["任务已提交（第 1 轮），正在等待上级审核，请勿重复提交。"]
    assert RosterSubmission.objects.filter(task=task).count() == 1
    assert RosterTask.objects.get(pk=task.pk).round == 1
    assert Event.objects.filter(action="roster.submit").count() == 1


def test_two_reviewers_at_once_one_approves_one_returns(dispatched):
    task = dispatched.roster_task("130681")
    services.submit(dispatched.user(Role.COUNTY), task, stamped_list=blank_pdf())
    city, colleague = dispatched.user(Role.CITY), make_user("130600-zhao", department("130600"), department=False)
    outcomes = all_at_once([
        lambda: services.approve(city, task, expected_status="submitted").status,
        lambda: services.send_back(colleague, task, "请补充材料。", expected_status="submitted").status,
    ])
    done = [result for result, exc in outcomes if exc is None]
    refusals = [exc for _, exc in outcomes if exc is not None]
    assert len(done) == 1 and len(refusals) == 1
    final = RosterTask.objects.get(pk=task.pk).status
    assert done == [final]
    assert "（页面打开后已有人操作）" in refusals[0].messages[0]
    submission = RosterSubmission.objects.get(task=task)
    assert submission.decision == ("approved" if final == "approved" else "returned")
