"""The summaries app's rows of the jurisdiction harness (tests/test_jurisdiction.py).

Inside: a submitted report the role receives or wrote — for the province 保定市's, for 保定市
涿州市's, for 涿州市 its own. Outside: 石家庄市's for 保定市, 莲池区's for 涿州市 (the province sees
all). Only officials read reports; only the city and the province receive (and return) them.
"""

from django.utils import timezone

from qingshen.core.roles import Role
from tests.jurisdiction_support import OFFICIALS, Case

RECEIVERS = frozenset({Role.PROVINCE, Role.CITY})


def _report(code, world):
    from conftest import department
    from qingshen.summaries.models import SummaryReport

    report, _ = SummaryReport.objects.get_or_create(
        campaign=world.campaign, organization=department(code), kind="work", version=1,
        defaults=dict(status=SummaryReport.Status.SUBMITTED, submitted_at=timezone.now(),
                      progress="辖区测试：工作开展情况", achievements="辖区测试：成效", problems="辖区测试：问题",
                      next_steps="辖区测试：下一步"))
    return report


def report(inside: bool):
    def pick(world, role):
        inside_by_role = {Role.PROVINCE: "130600", Role.CITY: "130681", Role.COUNTY: "130681"}
        outside_by_role = {Role.CITY: "130100", Role.COUNTY: "130606"}
        code = (inside_by_role if inside else outside_by_role).get(role)
        if code is None and inside:
            code = "130600"  # a probe for roles that may not read reports
        return _report(code, world) if code else None

    return pick


def campaign(inside: bool):
    def pick(world, role):
        return world.campaign if inside else None

    return pick


PAGES = {
    "summaries:index": Case(OFFICIALS),
    "summaries:received": Case(RECEIVERS),
    "summaries:edit": Case(OFFICIALS, pick=campaign, kwargs=lambda c: {"campaign_pk": c.pk, "kind": "work"}),
    "summaries:detail": Case(OFFICIALS, pick=report),
    "summaries:return": Case(RECEIVERS, method="post", pick=report, ok=(200,)),  # no reason: the form again
    "summaries:pdf": Case(OFFICIALS, pick=report),
    "summaries:xlsx": Case(OFFICIALS, pick=report),
}

API = {
    "summaryreport-list": Case(OFFICIALS, pick=report),
    "summaryreport-detail": Case(OFFICIALS, pick=report),
}
