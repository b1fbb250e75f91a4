"""Roster pages and endpoints in the jurisdiction harness (tests/test_jurisdiction.py).

The harness world is CampaignWorld("accepted"): every roster task is approved by then, so the
step pages render read-only and the actions are refused by the services (a redirect with a
message, or the page again with the error) — what the harness checks here is who gets 403,
404 or the page. The workflow itself is tested in test_pages.py and test_api.py.

Tasks of the world: 130000 (province), 130600 / 130100 / 130682 (cities), 130681 / 130606
(Baoding's counties), 130102 (Shijiazhuang's county).
"""

from qingshen.core.roles import Role
from qingshen.rosters.models import RosterDecision
from tests.jurisdiction_support import OFFICIALS, Case

VIEWERS = OFFICIALS | {Role.SYSADMIN}
REVIEWERS = frozenset({Role.PROVINCE, Role.CITY})

#: A task inside each role's jurisdiction that has a parent (a lower level's or its own) …
INSIDE = {Role.PROVINCE: "130100", Role.SYSADMIN: "130100", Role.CITY: "130681", Role.COUNTY: "130681"}
#: … the department's own task (for the steps of a level with a lower level) …
OWN = {Role.PROVINCE: "130000", Role.SYSADMIN: "130600", Role.CITY: "130600", Role.COUNTY: "130681"}
#: … one the level above reviews …
REVIEWED = {Role.PROVINCE: "130600", Role.CITY: "130681"}
#: … and one outside it: another city's, another county's.
OUTSIDE = {Role.CITY: "130100", Role.COUNTY: "130606"}
OUTSIDE_REVIEWED = {Role.CITY: "130102"}


def task(inside_codes=INSIDE, outside_codes=OUTSIDE):
    def choose(inside: bool):
        def pick(world, role):
            code = (inside_codes if inside else outside_codes).get(role)
            return world.roster_task(code) if code else None

        return pick

    return choose


def submission(inside: bool):
    def pick(world, role):
        found = task()(inside)(world, role)
        return found.submissions.order_by("-round").first() if found else None

    return pick


def decision(inside: bool):
    """The world has no decisions yet: one is recorded on the chosen task for the check."""

    def pick(world, role):
        found = task()(inside)(world, role)
        if found is None:
            return None
        member = found.members().first()
        return RosterDecision.objects.create(task=found, member=member, action=RosterDecision.Action.KEEP,
                                             round=found.round, decided_by=world.user(Role.PROVINCE))

    return pick


def with_member(t):
    return {"pk": t.pk, "member_pk": t.members().order_by("seq", "pk").first().pk}


def with_round(t):
    return {"pk": t.pk, "round": 1}


def with_file(t):
    return {"pk": t.pk, "file_pk": t.submissions.order_by("-round").first().stamped_list_id}


REDIRECT_OR_PAGE = (200, 302)

PAGES = {
    "rosters:list": Case(VIEWERS),
    "rosters:detail": Case(VIEWERS, pick=task()),
    "rosters:own": Case(VIEWERS, pick=task(OWN), ok=REDIRECT_OR_PAGE),
    "rosters:members": Case(VIEWERS, pick=task()),
    "rosters:propose": Case(VIEWERS, pick=task(OWN), ok=REDIRECT_OR_PAGE),
    "rosters:member": Case(VIEWERS, pick=task(), kwargs=with_member, ok=(302,)),
    "rosters:keep": Case(OFFICIALS, method="post", pick=task(OWN), kwargs=with_member),
    "rosters:exclude": Case(VIEWERS, pick=task(OWN), kwargs=with_member, ok=REDIRECT_OR_PAGE),
    "rosters:correct": Case(VIEWERS, pick=task(OWN), kwargs=with_member, ok=REDIRECT_OR_PAGE),
    "rosters:dispatch": Case(VIEWERS, pick=task(OWN), ok=REDIRECT_OR_PAGE),
    "rosters:children": Case(VIEWERS, pick=task(OWN), ok=REDIRECT_OR_PAGE),
    "rosters:submit": Case(VIEWERS, pick=task()),
    "rosters:review": Case(REVIEWERS, method="post", pick=task(REVIEWED, OUTSIDE_REVIEWED), ok=(200,)),
    "rosters:round": Case(VIEWERS, pick=task(), kwargs=with_round),
    "rosters:final_list_xlsx": Case(VIEWERS, pick=task()),
    "rosters:final_list_pdf": Case(VIEWERS, pick=task()),
    "rosters:file": Case(VIEWERS, pick=task(), kwargs=with_file),
}

API = {
    "rostertask-list": Case(VIEWERS, pick=task()),
    "rostertask-detail": Case(VIEWERS, pick=task()),
    "rostertask-members": Case(VIEWERS, pick=task()),
    "rostertask-publish": Case(OFFICIALS, pick=task(OWN)),
    "rostertask-dispatch": Case(OFFICIALS, pick=task(OWN)),
    "rostertask-submit": Case(OFFICIALS, pick=task(OWN)),
    "rostertask-keep": Case(OFFICIALS, pick=task(OWN)),
    "rostertask-exclude": Case(OFFICIALS, pick=task(OWN)),
    "rostertask-correct": Case(OFFICIALS, pick=task(OWN)),
    "rostertask-propose": Case(OFFICIALS, pick=task(OWN)),
    "rostertask-approve": Case(REVIEWERS, pick=task(REVIEWED, OUTSIDE_REVIEWED)),
    "rostertask-return": Case(REVIEWERS, pick=task(REVIEWED, OUTSIDE_REVIEWED)),
    "rostersubmission-list": Case(VIEWERS, pick=submission),
    "rostersubmission-detail": Case(VIEWERS, pick=submission),
    "rosterdecision-list": Case(VIEWERS, pick=decision),
    "rosterdecision-detail": Case(VIEWERS, pick=decision),
}
