"""The ledger under concurrency: options added at the same moment get distinct codes; two
saves from pages that showed the same version make one change and one stale-edit refusal.

These tests commit, so they request `transactional_db` and build their own data; they need a
database where writers wait: PostgreSQL, or the suite's SQLite file (see tests/concurrency.py).
"""

from datetime import date

import pytest
from django.utils import timezone

from conftest import World
from qingshen.audit_trail.models import Event
from qingshen.campaigns import services as campaigns
from qingshen.campaigns.models import CampaignEnterprise
from qingshen.core.roles import Role
from qingshen.options import services
from qingshen.options.models import Option
from qingshen.projects.models import AuditProject
from tests.concurrency import all_at_once, concurrent_writers

pytestmark = concurrent_writers


@pytest.fixture
def project(transactional_db):
    """Committed: 涿州测试企业's project (made directly; only the ledger is under test)."""
    world = World()
    campaign = campaigns.create_campaign(
        world.user(Role.PROVINCE), document_number="冀环测〔2021〕8号", batch="第八批", name="方案并发测试批次",
        year=2021, code="2021-T8", scope="测试", issue_date=date(2021, 9, 30))
    member = CampaignEnterprise.objects.create(campaign=campaign, enterprise=world.e_zhuozhou, reasons=["key_task"], seq=1)
    project = AuditProject.objects.create(
        member=member, campaign=campaign, enterprise=world.e_zhuozhou, number="202113068199999",
        project_lead="测试负责人", project_lead_mobile="13800138000", accepted_by=world.user(Role.ENTERPRISE),
        accepted_at=timezone.now())
    project.world = world
    return project


def test_options_added_at_once_get_distinct_codes(project):
    users = [project.world.user(Role.ENTERPRISE), project.world.user(Role.CONSULTANCY)] * 3
    outcomes = all_at_once([
        (lambda user=user, n=n: services.create_option(user, project, name=f"并发方案{n}（测试）").code)
        for n, user in enumerate(users)])
    assert [error for _, error in outcomes] == [None] * 6
    assert sorted(code for code, _ in outcomes) == ["F1", "F2", "F3", "F4", "F5", "F6"]
    assert Event.objects.filter(action="option.create").count() == 6


def test_two_saves_of_the_same_version(project):
    option = services.create_option(project.world.user(Role.ENTERPRISE), project, name="并发修改（测试）")
    outcomes = all_at_once([
        (lambda user=project.world.user(role), name=name: services.update_option(
            user, option, expected_version=1, name=name).version)
        for role, name in ((Role.ENTERPRISE, "企业的修改（测试）"), (Role.CONSULTANCY, "咨询机构的修改（测试）"))])
    assert sorted(str(type(error).__name__) for _, error in outcomes) == ["NoneType", "StaleEditError"]
    assert Option.objects.get(pk=option.pk).version == 2
    assert Event.objects.filter(action="option.update").count() == 1
