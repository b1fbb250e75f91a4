"""The supervision app's rows of the jurisdiction harness: the due items page shows, for the
campaign chosen, only the roster lines the user may see (tested in test_due.py)."""

from qingshen.core.roles import Role
from tests.jurisdiction_support import ALL, Case

CAMPAIGN_READERS = ALL - {Role.EXPERT}

PAGES = {
    "supervision:due": Case(CAMPAIGN_READERS),
}
