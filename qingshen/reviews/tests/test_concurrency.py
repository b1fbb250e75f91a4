"""Two reviewers acting on the same application at once: one succeeds, the other is refused,
and the trail has one event. These tests commit (`transactional_db`); they need a database
where writers wait: PostgreSQL, or the suite's SQLite file (see tests/concurrency.py)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import World, make_user
from qingshen.applications.models import Application
from qingshen.audit_trail.models import Event
from qingshen.campaigns import services as campaigns
from qingshen.campaigns.models import CampaignEnterprise
from qingshen.core.roles import Role
from qingshen.projects.models import AuditProject
from qingshen.reviews import services, steps
from qingshen.reviews.models import IntakeCheck, Review
from tests.concurrency import all_at_once, concurrent_writers

pytestmark = concurrent_writers


@pytest.fixture
def review(transactional_db):
    """Committed: 涿州测试企业's evaluation application at the city's intake, every step checked 无误
    by the city (rows made directly; only the concluding act is under test)."""
    world = World()
    city = world.user(Role.CITY)
    campaign = campaigns.create_campaign(
        world.user(Role.PROVINCE), document_number="冀环测〔2021〕9号", batch="第九批", name="审核并发测试批次",
        year=2021, code="2021-T9", scope="测试", issue_date=date(2021, 9, 30))
    member = CampaignEnterprise.objects.create(campaign=campaign, enterprise=world.e_zhuozhou, reasons=["key_task"],
                                               seq=1, handling_level="province")
    project = AuditProject.objects.create(
        member=member, campaign=campaign, enterprise=world.e_zhuozhou, number="202113068199998",
        project_lead="测试负责人", project_lead_mobile="13800138000", accepted_by=world.user(Role.ENTERPRISE),
        accepted_at=timezone.now())
    application = Application.objects.create(project=project, stage="evaluation", status="submitted",
                                             submitted_at=timezone.now())
    row = Review.objects.create(application=application, project=project, stage="evaluation",
                                handling_level="province", status=Review.Status.CITY_INTAKE, arrived_at=timezone.now())
    for code, _ in steps.steps_of("evaluation"):
        IntakeCheck.objects.create(review=row, level="city", step=code, ok=True, checked_by=city)
    row.colleague = make_user("130600-2", city.organization)  # a second account of 保定市生态环境局
    row.city = city
    return row


def test_two_city_officials_conclude_the_same_intake_at_once(review):
    outcomes = all_at_once([(lambda user=user: services.conclude_intake(user, review).status)
                            for user in (review.city, review.colleague)])
    statuses = [status for status, _ in outcomes]
    errors = [error for _, error in outcomes if error is not None]
    assert statuses.count(Review.Status.PROVINCE_INTAKE) == 1
    assert len(errors) == 1 and isinstance(errors[0], (PermissionDenied, ValidationError))
    assert Review.objects.get(pk=review.pk).status == Review.Status.PROVINCE_INTAKE
    assert Event.objects.filter(action="review.intake", object_id=str(review.pk)).count() == 1
