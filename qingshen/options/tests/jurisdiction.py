"""The options app's rows of the jurisdiction harness (tests/test_jurisdiction.py).

Inside: options of world.project (涿州测试企业, 涿州市). Outside: options of a project in 莲池区
(another county of 保定市; for the county, the enterprise and its consultancy) or in 长安区
(another city, for 保定市). Readers are the officials, the enterprise and its consultancy;
only the enterprise side changes anything; 方案汇总 is the officials'.
"""

from decimal import Decimal

from qingshen.core.roles import Role
from qingshen.options.models import Feasibility, Option
from qingshen.projects.tests.jurisdiction import other_project
from qingshen.projects.tests.jurisdiction import project as project_pick
from tests.jurisdiction_support import OFFICIALS, Case

READERS = OFFICIALS | {Role.ENTERPRISE, Role.CONSULTANCY}
EDITORS = frozenset({Role.ENTERPRISE, Role.CONSULTANCY})


def _project(world, role, inside):
    if inside:
        return world.project
    if role == Role.CITY:
        return other_project(world, world.e_changan, "202113010200001")
    if role in (Role.COUNTY, Role.ENTERPRISE, Role.CONSULTANCY):
        return other_project(world, world.e_lianchi, "202113060600001")
    return None


def _option(code, cost_class, with_feasibility=False):
    def choose(inside: bool):
        def pick(world, role):
            project = _project(world, role, inside)
            if project is None:
                return None
            option, _ = Option.objects.get_or_create(project=project, code=code, defaults=dict(
                name=f"辖区测试方案{code}", cost_class=cost_class, investment=Decimal("100")))
            if with_feasibility and not Feasibility.objects.filter(option=option).exists():
                Feasibility(option=option, investment=Decimal("100"), annual_savings=Decimal("30"),
                            depreciation_years=10, tax_rate=Decimal("25"), discount_rate=Decimal("10"),
                            economic_life=10).save()
            return option

        return pick

    return choose


option = _option("HX1", Option.CostClass.LOW)
assessed_option = _option("HX2", Option.CostClass.HIGH, with_feasibility=True)


def project_kwargs(project):
    return {"project_pk": project.pk}


PAGES = {
    "options:index": Case(READERS, ok=(200, 302)),
    "options:summary": Case(OFFICIALS),
    "options:ledger": Case(READERS, pick=project_pick, kwargs=project_kwargs),
    "options:add": Case(EDITORS, pick=project_pick, kwargs=project_kwargs),
    "options:detail": Case(READERS, pick=option),
    "options:edit": Case(EDITORS, pick=option),
    "options:delete": Case(EDITORS, method="post", pick=option),
    "options:feasibility": Case(READERS, pick=assessed_option),
    "options:feasibility_delete": Case(EDITORS, method="post", pick=assessed_option),
}

API = {
    "option-list": Case(READERS, pick=option),
    "option-detail": Case(READERS, pick=option),
    "option-feasibility": Case(READERS, pick=assessed_option),
    "option-totals": Case(READERS),
    "option-summary": Case(OFFICIALS),
}
