"""Arranging made-up data for the enforcement tests: dates, letters, reviews and enterprises are
written directly (only their facts matter here); names say they are made up (测试…)."""

from datetime import timedelta

from django.utils import timezone

from qingshen.applications.models import Application
from qingshen.campaigns.models import CampaignEnterprise, Milestone, MilestoneKind
from qingshen.core.roles import Role
from qingshen.notices.models import NoticeLetter
from qingshen.reviews.models import Review

FAR = 3650  # days: "not due for years"


def today():
    return timezone.localdate()


def days(n):
    """today + n days."""
    return today() + timedelta(days=n)


def calendar(world, **due):
    """Every milestone of the campaign moved far into the future, then each `kind=offset` (days from
    today, e.g. disclosure=-1) set at the province, so no step is overdue unless a test says so."""
    Milestone.objects.filter(campaign=world.campaign).update(due_date=days(FAR), days_after_publication=None)
    for kind, offset in due.items():
        Milestone.objects.filter(campaign=world.campaign, kind=MilestoneKind(kind)).update(due_date=days(offset))


def line_of(world, enterprise):
    return CampaignEnterprise.objects.get(campaign=world.campaign, enterprise=enterprise)


def dispatched_letter(world, enterprise, *, dispatched=True, account=None):
    """A notice letter to `enterprise`'s roster line, dispatched now (written directly)."""
    member = line_of(world, enterprise)
    task = world.campaign.notice_tasks.filter(organization__region_id=enterprise.region.county_code
                                              or enterprise.region.code).first() or world.notice_task("130681")
    return NoticeLetter.objects.create(
        task=task, member=member, number=f"{world.campaign.code}-测试-{member.pk:04d}",
        account=account or world.other_enterprise_user,
        generated_at=timezone.now(), dispatched_at=timezone.now() if dispatched else None)


def application(project, stage="evaluation", number=1, submitted=True):
    application, _ = Application.objects.get_or_create(project=project, stage=stage, number=number, defaults=dict(
        status="submitted" if submitted else "draft", submitted_at=timezone.now() if submitted else None))
    return application


def decided(project, status, *, stage="evaluation", number=1, rectify_by=None, when=None):
    """A review of the stage's application `number`, decided with `status` (通过 / 不通过 / 整改)."""
    return Review.objects.create(
        application=application(project, stage, number), project=project, stage=stage,
        handling_level=project.member.handling_level, arrived_at=timezone.now(), status=status,
        conclusion=status if status in ("passed", "failed", "rectify") else "",
        decided_at=when or timezone.now(), rectify_by=rectify_by)


def set_status(enterprise, status):
    type(enterprise).objects.filter(pk=enterprise.pk).update(status=status)
    enterprise.refresh_from_db()


def made_up_members(world, count, region="130681", **extra):
    """`count` more made-up enterprises on the campaign's roster (测试停产企业N), 停产 by default."""
    from conftest import make_enterprise

    extra.setdefault("status", "suspended")
    members = []
    start = CampaignEnterprise.objects.filter(campaign=world.campaign).count()
    for index in range(start, start + count):
        enterprise = make_enterprise(f"测试停产企业{index}", region, **extra)
        members.append(CampaignEnterprise.objects.create(campaign=world.campaign, enterprise=enterprise,
                                                         handling_level="city", seq=index + 1))
    return members


def project_of(world, member, number):
    """An accepted audit project for a made-up roster line (written directly)."""
    from qingshen.projects.models import AuditProject

    return AuditProject.objects.create(member=member, campaign=world.campaign, enterprise=member.enterprise,
                                       number=number, project_lead="测试负责人", project_lead_mobile="13900139000",
                                       accepted_by=world.user(Role.PROVINCE), accepted_at=timezone.now())
