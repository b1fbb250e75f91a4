"""The benchmarking app's rows of the jurisdiction harness (tests/test_jurisdiction.py).

Indicator systems are reference data (no jurisdiction): every role allowed to read them reads
every version. A project's 对标 follows the project: inside is 涿州测试企业's project
(world.project), outside a project in 莲池区 (another county of 保定) or 长安区 (another city).
"""

from django.utils import timezone

from qingshen.benchmarking.models import Benchmark, IndicatorSystem
from qingshen.campaigns.tests.jurisdiction import campaign
from qingshen.core.roles import Role
from qingshen.projects.tests.jurisdiction import project
from tests.jurisdiction_support import OFFICIALS, Case

SYSTEM_READERS = OFFICIALS | {Role.ENTERPRISE, Role.CONSULTANCY, Role.EXPERT, Role.SYSADMIN}
SYSTEM_EDITORS = frozenset({Role.PROVINCE, Role.SYSADMIN})
READERS = OFFICIALS | {Role.ENTERPRISE, Role.CONSULTANCY}
FILLERS = frozenset({Role.ENTERPRISE, Role.CONSULTANCY})
REVIEWERS = frozenset({Role.PROVINCE, Role.CITY})


def shipped(inside: bool):
    """The shipped (partial) electroplating table: the same for everyone."""
    return lambda world, role: IndicatorSystem.objects.filter(code="electroplating-comprehensive").first() if inside else None


def benchmark(inside: bool):
    """A recorded 对标（审核前）of the project inside / outside (made directly, without a system)."""
    choose = project(inside)

    def pick(world, role):
        chosen = choose(world, role)
        if chosen is None:
            return None
        row, _ = Benchmark.objects.get_or_create(project=chosen, stage=Benchmark.Stage.BEFORE, defaults=dict(
            peer_comparison="与同行业对比（测试）", recorded_at=timezone.now()))
        return row

    return pick


def stage_kwargs(p):
    return {"project_pk": p.pk, "stage": "before"}


PAGES = {
    "benchmarking:systems": Case(SYSTEM_READERS),
    "benchmarking:system": Case(SYSTEM_READERS, pick=shipped),
    "benchmarking:try": Case(SYSTEM_READERS, pick=shipped),
    "benchmarking:export": Case(SYSTEM_READERS, pick=shipped, kwargs=lambda s: {"pk": s.pk, "fmt": "yaml"}),
    "benchmarking:import": Case(SYSTEM_EDITORS),
    "benchmarking:import_confirm": Case(SYSTEM_EDITORS, method="post", check_success=False),
    "benchmarking:system_status": Case(SYSTEM_EDITORS, method="post", pick=shipped, check_success=False),
    "benchmarking:index": Case(READERS, ok=(200, 302)),  # a single project: straight to it
    "benchmarking:project": Case(READERS, pick=project, kwargs=lambda p: {"project_pk": p.pk}),
    "benchmarking:edit": Case(FILLERS, pick=project, kwargs=stage_kwargs),
    "benchmarking:review": Case(REVIEWERS, pick=benchmark, kwargs=lambda b: stage_kwargs(b.project)),
    "benchmarking:target": Case(frozenset({Role.PROVINCE}), pick=campaign),
    "benchmarking:statistics": Case(OFFICIALS),
    "benchmarking:statistics_list": Case(OFFICIALS, pick=campaign),
}

API = {
    "indicatorsystem-list": Case(SYSTEM_READERS, pick=shipped),
    "indicatorsystem-detail": Case(SYSTEM_READERS, pick=shipped),
    "indicatorsystem-export": Case(SYSTEM_READERS, pick=shipped),
    "indicatorsystem-trial": Case(SYSTEM_READERS, method="post", pick=shipped, check_success=False),
    "indicatorsystem-import-file": Case(SYSTEM_EDITORS, method="post", check_success=False),
    "benchmark-list": Case(READERS, pick=benchmark),
    "benchmark-detail": Case(READERS, pick=benchmark),
    "benchmark-record": Case(FILLERS, method="post", check_success=False),
    "benchmark-confirm": Case(REVIEWERS, method="post", pick=benchmark, check_success=False),
    "benchmark-send-back": Case(REVIEWERS, method="post", pick=benchmark, check_success=False),
}
