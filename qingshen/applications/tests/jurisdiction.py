"""The applications app's rows of the jurisdiction harness (tests/test_jurisdiction.py).

Inside: a draft evaluation application of 涿州测试企业's project (world.project). Outside: the
same for a project in 莲池区 (another county of 保定) or 长安区 (another city).
"""

from qingshen.applications.models import Application, Stage
from qingshen.core.roles import Role
from qingshen.projects.tests.jurisdiction import project
from tests.jurisdiction_support import OFFICIALS, Case

#: An expert reads the applications it is drawn to review (none here: world.project's lies outside).
READERS = OFFICIALS | {Role.ENTERPRISE, Role.CONSULTANCY, Role.EXPERT}
FILLERS = frozenset({Role.ENTERPRISE, Role.CONSULTANCY})
SUBMITTERS = frozenset({Role.ENTERPRISE})


def application(inside: bool):
    choose = project(inside)

    def pick(world, role):
        chosen = choose(world, role)
        if chosen is None:
            return None
        draft, _ = Application.objects.get_or_create(project=chosen, stage=Stage.EVALUATION, number=1)
        return draft

    return pick


PAGES = {
    "applications:list": Case(READERS),
    "applications:stage": Case(READERS, pick=project, kwargs=lambda p: {"project_pk": p.pk, "stage": "evaluation"}),
    "applications:detail": Case(READERS, pick=application),
}

API = {
    "application-list": Case(READERS, pick=application),
    "application-detail": Case(READERS, pick=application),
    "application-missing": Case(READERS, pick=application),
    "application-draft": Case(FILLERS, method="post", check_success=False),
    "application-submit": Case(SUBMITTERS, method="post", pick=application, check_success=False),
}
