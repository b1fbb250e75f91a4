"""项目编号 under concurrency: the enterprises of one county accepting at the same moment get
distinct, consecutive numbers; a double click at the same moment makes one project.

These tests commit, so they request `transactional_db` and build their own data (no shared
world in this module); they need a database where writers wait: PostgreSQL, or the suite's
SQLite file (see tests/concurrency.py).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import World, department, make_enterprise, make_user
from qingshen.audit_trail.models import Event
from qingshen.campaigns import services as campaigns
from qingshen.campaigns.models import CampaignEnterprise
from qingshen.core.roles import Role
from qingshen.notices.models import NoticeLetter, NoticeTask
from qingshen.organizations.models import Organization
from qingshen.projects import services
from qingshen.projects.models import AuditProject, ProjectNumberCounter
from tests.concurrency import all_at_once, concurrent_writers

pytestmark = concurrent_writers


def county_with_notified_enterprises(count, county="130681"):
    """Committed: a campaign and `count` enterprises of one county, each with its account and a
    dispatched letter (rows made directly; only acceptance is under test)."""
    world = World()
    campaign = campaigns.create_campaign(
        world.user(Role.PROVINCE), document_number="冀环测〔2021〕9号", batch="第九批", name="并发测试批次", year=2021,
        code="2021-T9", scope="测试", issue_date=date(2021, 9, 30))
    task = NoticeTask.objects.create(campaign=campaign, organization=department(county), level="county",
                                     status=NoticeTask.Status.DISPATCHED)
    pairs = []
    for n in range(count):
        enterprise = make_enterprise(f"并发测试企业{n:02d}", county)
        org = Organization.objects.create(kind=Organization.Kind.ENTERPRISE, name=enterprise.name,
                                          account_code=f"QY{county}9{n:03d}", region=enterprise.region,
                                          enterprise=enterprise)
        user = make_user(f"QY{county}9{n:03d}", org)
        member = CampaignEnterprise.objects.create(campaign=campaign, enterprise=enterprise, reasons=["key_task"],
                                                   seq=n)
        NoticeLetter.objects.create(task=task, member=member, account=user, number=f"T9-{n:03d}",
                                    generated_at=timezone.now(), dispatched_at=timezone.now())
        pairs.append((user, member))
    return pairs



def test_concurrent_acceptances_in_one_county_get_distinct_numbers(transactional_db):
    count = 8
    pairs = county_with_notified_enterprises(count)
    assert not ProjectNumberCounter.objects.exists()  # the threads also race to create the counter
    outcomes = all_at_once([
        (lambda user=user, member=member: services.accept(
            user, member, project_lead="张三", project_lead_mobile="13800138000").number)
        for user, member in pairs])
    assert [exc for _, exc in outcomes if exc is not None] == []
    numbers = sorted(number for number, _ in outcomes)
    assert numbers == [f"202113068100{n:03d}" for n in range(1, count + 1)]
    assert sorted(AuditProject.objects.values_list("number", flat=True)) == numbers
    assert ProjectNumberCounter.objects.get(prefix="2021130681").last == count
    assert Event.objects.filter(action="project.accept").count() == count


def test_a_double_click_at_the_same_moment_makes_one_project(transactional_db):
    ((user, member),) = county_with_notified_enterprises(1)
    outcomes = all_at_once([
        lambda: services.accept(user, member, project_lead="张三", project_lead_mobile="13800138000").number,
        lambda: services.accept(user, member, project_lead="张三", project_lead_mobile="13800138000").number,
    ])
    numbers = [number for number, exc in outcomes if exc is None]
    refusals = [exc for _, exc in outcomes if exc is not None]
    assert numbers == ["202113068100001"]
    assert len(refusals) == 1 and isinstance(refusals[0], ValidationError)
    assert refusals[0].messages[0].endswith("接受该任务（项目编号 202113068100001）。")
    assert AuditProject.objects.count() == 1
    assert ProjectNumberCounter.objects.get(prefix="2021130681").last == 1  # no number was spent
