"""The production_checks app's rows of the jurisdiction harness (tests/test_jurisdiction.py).

Officials only (province, city, county; enterprises are not granted the view for now). A check
follows its enterprise: inside / outside are the enterprises `tests.jurisdiction_support.enterprise`
picks for each role (涿州 for the county, 莲池 for the city of 保定, 长安 for the province), with a
draft check (peer comparison, no system) made for it by the province.
"""

from qingshen.core.roles import Role
from qingshen.production_checks.models import ProductionCheck
from qingshen.production_checks.tests.helpers import peer_check
from tests.jurisdiction_support import OFFICIALS, Case, enterprise


def check(inside: bool):
    choose = enterprise(inside)

    def pick(world, role):
        chosen = choose(world, role)
        if chosen is None:
            return None
        existing = ProductionCheck.objects.filter(enterprise=chosen, conclusion="").first()
        return existing or peer_check(chosen, world.user(Role.PROVINCE))

    return pick


PAGES = {
    "production_checks:list": Case(OFFICIALS),
    "production_checks:export": Case(OFFICIALS),
    "production_checks:new": Case(OFFICIALS),
    "production_checks:detail": Case(OFFICIALS, pick=check),
    "production_checks:edit": Case(OFFICIALS, pick=check),
    "production_checks:conclude": Case(OFFICIALS, method="post", pick=check, check_success=False),
}

API = {
    "productioncheck-list": Case(OFFICIALS, pick=check),
    "productioncheck-detail": Case(OFFICIALS, pick=check),
}
