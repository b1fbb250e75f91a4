"""The permits app's rows of the jurisdiction harness (tests/test_jurisdiction.py).

Roster lines: 莲池 (保定) is inside for 保定's city-level permit authority (the world's) and the
city, 长安 (石家庄) outside; the county (涿州) and the enterprise see 涿州's line, not 莲池's.
Reports: each permit authority's (county-level 涿州 / 莲池, city-level 保定 / 石家庄), submitted;
the city sees its region's, the province all, an authority its own.
"""

from django.utils import timezone

from qingshen.core.roles import Role
from tests.jurisdiction_support import OFFICIALS, Case

AUTHORITY = frozenset({Role.PERMIT_AUTHORITY})
CHANGE_READERS = OFFICIALS | AUTHORITY | {Role.ENTERPRISE}
REPORT_READERS = OFFICIALS | AUTHORITY
RECEIVERS = frozenset({Role.CITY, Role.PROVINCE})


def listed_member(world, enterprise):
    """The enterprise's roster line, its enterprise made 重点管理 (so the line is listed)."""
    from qingshen.enterprises.models import Enterprise

    Enterprise.objects.filter(pk=enterprise.pk).update(permit_category="key")
    member = world.member(enterprise)
    member.enterprise.refresh_from_db()
    return member


def change_of(world, enterprise):
    from qingshen.files.services import store
    from qingshen.files.tests import samples
    from qingshen.permits.models import PermitChange, PermitChangeVersion

    member = listed_member(world, enterprise)
    change = PermitChange.objects.filter(member=member).first()
    if change is None:
        stored = store(None, "许可证（测试）.pdf", samples.pdf_bytes(), allowed=("pdf",))
        values = dict(changed_on=timezone.localdate(), permit_number="91130000TEST0001", requirement="测试要求",
                      file=stored, recorded_by=world.user(Role.PERMIT_AUTHORITY), recorded_at=timezone.now())
        change = PermitChange.objects.create(member=member, **values)
        PermitChangeVersion.objects.create(change=change, version=1, **values)
    return change


def report_of(world, code):
    """The (submitted) report of the permit authority of region `code`."""
    from conftest import department
    from qingshen.organizations.models import Organization
    from qingshen.permits.models import PermitReport

    organization = department(code, Organization.Kind.PERMIT_AUTHORITY)
    report, _ = PermitReport.objects.get_or_create(campaign=world.campaign, organization=organization, version=1,
                                                   defaults=dict(status="submitted", submitted_at=timezone.now()))
    return report


def line(inside: bool):
    def pick(world, role):
        if inside:
            return listed_member(world, world.e_lianchi)  # the probe for the roles refused (403)
        return listed_member(world, world.e_changan) if role == Role.PERMIT_AUTHORITY else None

    return pick


def change(inside: bool):
    def pick(world, role):
        inside_by_role = {Role.PROVINCE: world.e_changan, Role.CITY: world.e_lianchi, Role.COUNTY: world.e_zhuozhou,
                          Role.PERMIT_AUTHORITY: world.e_lianchi, Role.ENTERPRISE: world.e_zhuozhou}
        outside_by_role = {Role.CITY: world.e_changan, Role.COUNTY: world.e_lianchi,
                           Role.PERMIT_AUTHORITY: world.e_changan, Role.ENTERPRISE: world.e_lianchi}
        enterprise = (inside_by_role if inside else outside_by_role).get(role)
        return change_of(world, enterprise) if enterprise is not None else None

    return pick


def report(inside: bool):
    def pick(world, role):
        inside_by_role = {Role.PROVINCE: "130100", Role.CITY: "130681", Role.COUNTY: "130681",
                          Role.PERMIT_AUTHORITY: "130600"}
        outside_by_role = {Role.CITY: "130100", Role.COUNTY: "130606", Role.PERMIT_AUTHORITY: "130100"}
        code = (inside_by_role if inside else outside_by_role).get(role)
        return report_of(world, code) if code else None

    return pick


def returnable(inside: bool):
    """A report the role receives (inside) or one outside its region."""
    def pick(world, role):
        inside_by_role = {Role.PROVINCE: "130600", Role.CITY: "130681"}
        outside_by_role = {Role.CITY: "130102"}
        code = (inside_by_role if inside else outside_by_role).get(role)
        return report_of(world, code) if code else None

    return pick


PAGES = {
    "permits:list": Case(CHANGE_READERS),
    "permits:export": Case(CHANGE_READERS),
    "permits:record": Case(AUTHORITY, pick=line),
    "permits:file": Case(CHANGE_READERS, pick=change),
    "permits:report": Case(AUTHORITY),
    "permits:report_detail": Case(REPORT_READERS, pick=report),
    "permits:report_export": Case(REPORT_READERS, pick=report),
    "permits:report_return": Case(RECEIVERS, method="post", pick=returnable, ok=(200,)),  # no reason: form again
    "permits:received": Case(RECEIVERS),
}

API = {
    "permit-change-list": Case(CHANGE_READERS, pick=change),
    "permit-change-detail": Case(CHANGE_READERS, pick=change),
    "permit-report-list": Case(REPORT_READERS, pick=report),
    "permit-report-detail": Case(REPORT_READERS, pick=report),
}
