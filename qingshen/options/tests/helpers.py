"""Made-up options and projects for the tests (names say they are made up)."""

from decimal import Decimal

from django.utils import timezone

from qingshen.core.roles import Role
from qingshen.options.models import Feasibility, Option
from qingshen.projects.models import AuditProject


def project_for(world, enterprise, number):
    """An accepted project for another enterprise of the world (made directly: only its place matters)."""
    member = world.member(enterprise)
    project, _ = AuditProject.objects.get_or_create(member=member, defaults=dict(
        campaign=world.campaign, enterprise=enterprise, number=number, project_lead="测试负责人",
        project_lead_mobile="13900139000", accepted_by=world.user(Role.PROVINCE), accepted_at=timezone.now()))
    return project


def make_option(project, code, *, cost_class=Option.CostClass.LOW, status=Option.Status.PROPOSED, **values):
    """An option written directly (the harness and totals tests need rows, not the service)."""
    values.setdefault("name", f"测试方案{code}")
    values.setdefault("investment", Decimal("1"))
    option = Option(project=project, code=code, cost_class=cost_class, status=status, **values)
    option.save()
    return option


def make_feasibility(option, **values):
    defaults = dict(investment=Decimal("100"), annual_savings=Decimal("30"), depreciation_years=10,
                    tax_rate=Decimal("25"), discount_rate=Decimal("10"), economic_life=10)
    feasibility = Feasibility(option=option, **{**defaults, **values})
    feasibility.save()
    return feasibility
