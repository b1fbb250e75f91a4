"""Checks recorded through the service with the benchmarking tests' MADE-UP indicator system
(`qingshen.benchmarking.tests.helpers`: invented names and numbers, not any industry's table).
Its default answers are level II overall, with the water use (seq 2, 3 m3/t) and the water reuse
(seq 3, 85 %) at II: enough inside an approved park with centralised treatment, short of the
level I water target outside one."""

from qingshen.benchmarking.models import IndicatorSystem
from qingshen.benchmarking.tests.helpers import answers, import_made_up
from qingshen.core.roles import Role
from qingshen.production_checks import services
from qingshen.production_checks.models import ProductionCheck

NEW = ProductionCheck.Kind.NEW
RESUMPTION = ProductionCheck.Kind.RESUMPTION
MET, NOT_MET = ProductionCheck.Conclusion.MET, ProductionCheck.Conclusion.NOT_MET


def verified_system(world):
    existing = IndicatorSystem.objects.filter(code="made-up-test-system").first()
    return existing or import_made_up(world)


def trial_system(world):
    existing = IndicatorSystem.objects.filter(code="made-up-trial-system").first()
    return existing or import_made_up(world, code="made-up-trial-system", status="incomplete")


def record(world, role=Role.COUNTY, enterprise=None, **changes) -> ProductionCheck:
    """A check of 涿州测试企业's made-up new project, by default outside any park (not met)."""
    values = dict(enterprise=enterprise or world.e_zhuozhou, kind=NEW, project_name="年产 5 万吨测试产品项目（测试）",
                  campaign=None, system=verified_system(world), answers=answers(), in_approved_park=False,
                  centralized_treatment=False)
    values.update(changes)
    return services.save_check(world.user(role), **values)


def peer_check(enterprise, user, **changes) -> ProductionCheck:
    """A check without a system (peer comparison), for the harness and the query counts."""
    values = dict(enterprise=enterprise, kind=RESUMPTION, peer_comparison="与同行业测试企业对比（测试）")
    values.update(changes)
    return services.save_check(user, **values)
