"""Arranging reviews for the tests: submitted applications (through the real services, with
project start and phases marked submitted directly) and MADE-UP experts with accounts."""

from qingshen.applications import services as applications
from qingshen.applications.tests.helpers import FORM, phases_submitted, start_submitted
from qingshen.core.roles import Role
from qingshen.experts.models import Expert, Field
from qingshen.industries.models import Industry
from qingshen.organizations.models import Organization
from qingshen.regions.models import Region


def submit(world, project, stage="evaluation"):
    """The enterprise of `project` submits the stage's application; returns its review."""
    start_submitted(project)
    phases_submitted(project, stage)
    enterprise_user = world.user(Role.ENTERPRISE) if project == world.project else world.other_enterprise_user
    draft = applications.save_draft(enterprise_user, project, stage, FORM, version=None)
    application = applications.submit(enterprise_user, draft, version=draft.version, confirm_late=True)
    return application.review


def made_up_expert(name, *, pool="130000", home="130102", fields=(Field.CLEANER_PRODUCTION,), divisions=("33",),
                   account=True, **extra):
    """A made-up expert (测试专家…) of a pool, from 长安区 by default (no county of 保定)."""
    from conftest import make_user

    expert = Expert.objects.create(name=name, employer=f"{name}所在单位（测试）", title="高级工程师",
                                   pool=Region.objects.get(code=pool), home_region=Region.objects.get(code=home),
                                   fields=list(fields), **extra)
    expert.industries.set(Industry.objects.filter(code__in=divisions))
    if account:
        organization, _ = Organization.objects.get_or_create(
            kind=Organization.Kind.EXPERT_INSTITUTION, name=expert.employer,
            defaults={"account_code": f"ZJT{expert.pk:04d}", "region": Region.objects.get(code=pool)})
        expert.user = make_user(f"ZJT{expert.pk:04d}", organization, department=False)
        expert.save()
    return expert


def pool(count, **kwargs):
    return [made_up_expert(f"测试专家{index}", **kwargs) for index in range(1, count + 1)]
