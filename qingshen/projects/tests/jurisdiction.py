"""The projects app's rows of the jurisdiction harness (tests/test_jurisdiction.py).

The harness world is CampaignWorld("accepted"): 涿州测试企业's letter is dispatched and it has
accepted (world.project). The pickers below add what a role needs outside its jurisdiction:
another enterprise's dispatched letter and projects in 莲池区 (another county of 保定) and 长安区
(another city).
"""

from django.utils import timezone

from qingshen.core.roles import Role
from qingshen.files.services import store
from qingshen.notices.models import NoticeLetter
from qingshen.projects.models import AuditProject
from tests.jurisdiction_support import OFFICIALS, Case

PROJECT_VIEWERS = OFFICIALS | {Role.ENTERPRISE, Role.CONSULTANCY, Role.SYSADMIN}
ENTERPRISE_SIDE = frozenset({Role.ENTERPRISE, Role.CONSULTANCY})
STATISTICS_VIEWERS = OFFICIALS | {Role.SYSADMIN}


def other_project(world, enterprise, number):
    """An accepted project for another enterprise (made directly: only its place matters here)."""
    member = world.member(enterprise)
    project, _ = AuditProject.objects.get_or_create(member=member, defaults=dict(
        campaign=world.campaign, enterprise=enterprise, number=number, project_lead="李四",
        project_lead_mobile="13900139000", accepted_by=world.user(Role.PROVINCE), accepted_at=timezone.now()))
    return project


def dispatched_member(world, enterprise, county, account):
    """A roster line whose letter has been dispatched (made directly)."""
    member = world.member(enterprise)
    NoticeLetter.objects.get_or_create(member=member, defaults=dict(
        task=world.notice_task(county), account=account, number=f"HARNESS-{county}",
        generated_at=timezone.now(), dispatched_at=timezone.now()))
    return member


def project(inside: bool):
    def pick(world, role):
        if inside:
            return None if role == Role.EXPERT else world.project
        if role == Role.CITY:
            return other_project(world, world.e_changan, "202113010200001")
        if role in (Role.COUNTY, Role.ENTERPRISE, Role.CONSULTANCY):
            return other_project(world, world.e_lianchi, "202113060600001")
        if role == Role.EXPERT:  # an expert sees only what it is drawn to review: not this project
            return world.project
        return None

    return pick


def member(inside: bool):
    def pick(world, role):
        if inside:
            return world.member(world.e_zhuozhou)
        if role in ENTERPRISE_SIDE:
            return dispatched_member(world, world.e_lianchi, "130606", world.other_enterprise_user)
        return None

    return pick


def notice_file(inside: bool):
    """A notice file of the county's task (inside), or of another county's task asked for
    through 涿州测试企业's own task page (outside)."""

    def pick(world, role):
        if not inside and role not in ENTERPRISE_SIDE:
            return None
        task = world.notice_task("130681" if inside else "130606")
        stored = store(None, "县级通知.pdf", _pdf(), allowed=("pdf",))
        task.attachments.add(stored)
        stored.member_pk = world.member(world.e_zhuozhou).pk
        return stored

    return pick


def _pdf() -> bytes:
    from conftest import blank_pdf

    return blank_pdf().read()


def campaign(inside: bool):
    return lambda world, role: world.campaign if inside else None


PAGES = {
    "projects:list": Case(PROJECT_VIEWERS),
    "projects:detail": Case(PROJECT_VIEWERS, pick=project),
    "projects:activate": Case(public=True),
    "projects:tasks": Case(ENTERPRISE_SIDE),
    "projects:task": Case(ENTERPRISE_SIDE, pick=member),
    "projects:letter": Case(ENTERPRISE_SIDE, pick=member),
    "projects:letter_stamped": Case(ENTERPRISE_SIDE, pick=member),
    "projects:notice_file": Case(ENTERPRISE_SIDE, pick=notice_file,
                                 kwargs=lambda f: {"pk": f.member_pk, "file_pk": f.pk}),
    "projects:statistics": Case(STATISTICS_VIEWERS),
    "projects:statistics_campaign": Case(STATISTICS_VIEWERS, pick=campaign),
    "projects:statistics_enterprises": Case(STATISTICS_VIEWERS, pick=campaign),
    "projects:statistics_export": Case(STATISTICS_VIEWERS, pick=campaign),
}

API = {
    "auditproject-list": Case(PROJECT_VIEWERS, pick=project),
    "auditproject-detail": Case(PROJECT_VIEWERS, pick=project),
    "auditproject-statistics": Case(STATISTICS_VIEWERS),
}
