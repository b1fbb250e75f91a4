"""The supervision app's rows of the jurisdiction harness: the due items page shows, for the
campaign chosen, only the roster lines the user may see (tested in test_due.py); the dashboard,
its lists, exports and reminders are for officials, bounded likewise (test_dashboard.py)."""

from qingshen.campaigns.tests.jurisdiction import member
from qingshen.core.roles import Role
from tests.jurisdiction_support import ALL, OFFICIALS, Case

CAMPAIGN_READERS = ALL - {Role.EXPERT}

PAGES = {
    "supervision:due": Case(CAMPAIGN_READERS),
    "supervision:dashboard": Case(OFFICIALS),
    "supervision:dashboard_list": Case(OFFICIALS),
    "supervision:dashboard_export": Case(OFFICIALS),
    "supervision:remind": Case(OFFICIALS, method="post"),
}

API = {
    "due-item-list": Case(CAMPAIGN_READERS, pick=member),
    "report-item-list": Case(OFFICIALS | {Role.PERMIT_AUTHORITY}),
    "dashboard-list": Case(OFFICIALS),
}
