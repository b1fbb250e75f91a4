"""The audit data pages and endpoints in the jurisdiction harness (tests/test_jurisdiction.py).

Reading (the tables' pages, the API's GET) is for the officials above the enterprise, the
enterprise and its consultancy; editing and deleting rows only for the enterprise and its
consultancy (officials get 403 there). Outside objects are rows of another enterprise's project
(莲池区 for a county, an enterprise and a consultancy; 长安区 for a city).
"""

from qingshen.audit_data.tests import helpers
from qingshen.core.roles import Role
from qingshen.projects.tests.jurisdiction import project
from tests.jurisdiction_support import OFFICIALS, Case

READERS = OFFICIALS | {Role.ENTERPRISE, Role.CONSULTANCY}
FILLERS = frozenset({Role.ENTERPRISE, Role.CONSULTANCY})


def rows(factory):
    """A row made by `factory` in the project inside / outside the role's jurisdiction."""

    def choose(inside: bool):
        def pick(world, role):
            chosen = project(inside)(world, role)
            return factory(chosen) if chosen is not None else None

        return pick

    return choose


def by_project(obj):
    return {"project_pk": obj.pk}


PAGES = {"audit_data:index": Case(READERS, pick=project, kwargs=by_project)}
API = {}
for code, factory in helpers.FACTORIES.items():
    PAGES[f"audit_data:{code}"] = Case(READERS, pick=project, kwargs=by_project)
    if code.endswith("_balance"):
        continue
    PAGES[f"audit_data:{code}_edit"] = Case(FILLERS, pick=rows(factory))
    PAGES[f"audit_data:{code}_delete"] = Case(FILLERS, method="post", pick=rows(factory))
PAGES.update({
    "audit_data:balance": Case(READERS, pick=rows(helpers.balance)),
    "audit_data:balance_edit": Case(FILLERS, pick=rows(helpers.balance)),
    "audit_data:balance_delete": Case(FILLERS, method="post", pick=rows(helpers.balance)),
    "audit_data:line_edit": Case(FILLERS, pick=rows(helpers.line)),
    "audit_data:line_delete": Case(FILLERS, method="post", pick=rows(helpers.line)),
})
for basename, factory in (("materialuse", helpers.material), ("wateruse", helpers.water),
                          ("pollutantrecord", helpers.pollutant), ("auditfocus", helpers.focus),
                          ("target", helpers.target), ("balance", helpers.balance)):
    API[f"{basename}-list"] = Case(READERS, pick=rows(factory))
    API[f"{basename}-detail"] = Case(READERS, pick=rows(factory))
