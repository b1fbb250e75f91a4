"""The filings app's rows of the jurisdiction harness (tests/test_jurisdiction.py).

world.project (涿州测试企业) has its nine filings from the moment it was accepted; outside a
role's jurisdiction lie the filings of projects in 莲池区 (another county of 保定) and 长安区
(another city), made with the projects app's picker. Checklist pages belong to the province and
the administrator, who see every campaign: they have no "outside" object.
"""

from qingshen.core.roles import Role
from qingshen.filings import checklist, services
from qingshen.filings.models import ChecklistItem, Phase
from qingshen.projects.tests.jurisdiction import project
from tests.jurisdiction_support import OFFICIALS, Case

READERS = OFFICIALS | {Role.ENTERPRISE, Role.CONSULTANCY}
SUBMITTERS = frozenset({Role.ENTERPRISE})
KEEPERS = frozenset({Role.PROVINCE, Role.SYSADMIN})
CHECKLIST_READERS = READERS | KEEPERS


def filing(inside: bool):
    """The preparation phase of the project the projects app's picker chooses."""

    def pick(world, role):
        chosen = project(inside)(world, role)
        if chosen is None:
            return None
        return services.ensure_filings(chosen)[0]

    return pick


def campaign(inside: bool):
    return lambda world, role: world.campaign if inside else None


def own_campaign(inside: bool):
    """The campaign, with its own checklist (copied from the default) so items can be added."""

    def pick(world, role):
        if not inside:
            return None
        if not checklist.has_own(world.campaign.pk):
            services.copy_default(world.user(Role.PROVINCE), world.campaign)
        return world.campaign

    return pick


def own_item(inside: bool):
    def pick(world, role):
        chosen = own_campaign(inside)(world, role)
        if chosen is None:
            return None
        return ChecklistItem.objects.filter(campaign=chosen, phase=Phase.PREPARATION).order_by("order").last()

    return pick


def default_item(inside: bool):
    """Everybody who reads the checklist reads the default set: no outside."""
    return lambda world, role: ChecklistItem.objects.filter(campaign__isnull=True).first() if inside else None


PAGES = {
    "filings:progress": Case(READERS),
    "filings:project": Case(READERS, pick=project),
    "filings:phase": Case(READERS, pick=filing),
    # An incomplete phase is refused with a message and the phase page again (302 either way).
    "filings:submit": Case(SUBMITTERS, method="post", pick=filing),
    "filings:checklists": Case(KEEPERS),
    "filings:checklist": Case(KEEPERS, pick=campaign),
    "filings:checklist_copy": Case(KEEPERS, method="post", pick=campaign),
    "filings:checklist_discard": Case(KEEPERS, method="post", pick=own_campaign),
    "filings:item_add": Case(KEEPERS, pick=own_campaign),
    "filings:item_edit": Case(KEEPERS, pick=own_item),
    "filings:item_delete": Case(KEEPERS, method="post", pick=own_item),
    "filings:item_move": Case(KEEPERS, method="post", pick=own_item),
}

API = {
    "phasefiling-list": Case(READERS, pick=filing),
    "phasefiling-detail": Case(READERS, pick=filing),
    # Incomplete: 400 with the missing list (tests/test_submit.py checks the answers).
    "phasefiling-submit": Case(SUBMITTERS, method="post", pick=filing, check_success=False),
    "checklistitem-list": Case(CHECKLIST_READERS, pick=default_item),
    "checklistitem-detail": Case(CHECKLIST_READERS, pick=default_item),
    "checklistitem-copy-default": Case(KEEPERS, method="post", check_success=False),
}
