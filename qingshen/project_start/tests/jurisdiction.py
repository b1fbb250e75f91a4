"""The project_start app's rows of the jurisdiction harness (tests/test_jurisdiction.py).

Pages are about a project (`pk` = the audit project: inside = world.project, outside = a
project in another county or city, from the projects app's picker) or about one row (`pk` =
the row, made directly for the inside or outside project: only its place matters here).
Readers: officials over the enterprise, the enterprise, its consultancy. Editing a row:
the enterprise and its consultancy.
"""

from datetime import date

from qingshen.core.roles import Role
from qingshen.project_start.models import (
    AuditContract, Disclosure, EiaApproval, FacilityAcceptance, MonitoringReport, Product, ProjectStart,
)
from qingshen.projects.tests.jurisdiction import project
from tests.jurisdiction_support import OFFICIALS, Case

VIEWERS = OFFICIALS | {Role.ENTERPRISE, Role.CONSULTANCY}
FILLERS = frozenset({Role.ENTERPRISE, Role.CONSULTANCY})

ROWS = {
    "products": (Product, "startproduct", {"name": "辖区测试产品"}),
    "eia": (EiaApproval, "eiaapproval", {"document_number": "辖区测试批复"}),
    "monitoring": (MonitoringReport, "monitoringreport", {"body": "辖区测试监测机构"}),
    "acceptance": (FacilityAcceptance, "facilityacceptance", {"subject": "辖区测试验收"}),
    "disclosures": (Disclosure, "disclosure", {"disclosed_on": date(2021, 10, 20), "channel": "media"}),
    "contracts": (AuditContract, "auditcontract", {"signed_on": date(2021, 10, 10)}),
}


def ensure_start(audit_project):
    start = ProjectStart.objects.filter(pk=audit_project.pk).first()
    if start is None:
        start = ProjectStart(project=audit_project, enterprise_name=audit_project.enterprise.name)
        start.save()
    return start


def start(inside: bool):
    def pick(world, role):
        chosen = project(inside)(world, role)
        return ensure_start(chosen) if chosen is not None else None

    return pick


def row(kind):
    model, _, values = ROWS[kind]

    def choose(inside: bool):
        def pick(world, role):
            chosen = project(inside)(world, role)
            if chosen is None:
                return None
            ensure_start(chosen)
            return model.objects.create(project=chosen, **values)

        return pick

    return choose


PAGES = {
    "project_start:list": Case(VIEWERS),
    **{f"project_start:{name}": Case(VIEWERS, pick=project)
       for name in ("detail", "products", "eia", "monitoring", "acceptance", "submit", "disclosures", "contracts")},
    **{f"project_start:{kind}_edit": Case(FILLERS, pick=row(kind)) for kind in ROWS},
    **{f"project_start:{kind}_delete": Case(FILLERS, method="post", pick=row(kind)) for kind in ROWS},
}

API = {
    "projectstart-list": Case(VIEWERS, pick=start),
    "projectstart-detail": Case(VIEWERS, pick=start),
    "projectstart-submit": Case(VIEWERS, pick=start),
    **{f"{basename}-list": Case(VIEWERS, pick=row(kind)) for kind, (_, basename, _) in ROWS.items()},
    **{f"{basename}-detail": Case(VIEWERS, pick=row(kind)) for kind, (_, basename, _) in ROWS.items()},
}
