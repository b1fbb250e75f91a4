"""The enforcement app's rows of the jurisdiction harness (tests/test_jurisdiction.py).

Officials only (the permission is theirs alone). Roster lines: inside is a line of the official's
place (province: 长安, city: 莲池, county: 涿州), outside one of another place (city: 长安,
county: 莲池); the API list must show the inside line and never the outside one, so both are
made 停产 (in the 因停产未开展 category). Hand-overs: one recorded by the official's own unit
(inside), one by 石家庄 (outside for the city) or 莲池 (outside for the county).
"""

from qingshen.core.roles import Role
from tests.jurisdiction_support import OFFICIALS, Case

INSIDE = {Role.PROVINCE: "e_changan", Role.CITY: "e_lianchi", Role.COUNTY: "e_zhuozhou"}
OUTSIDE = {Role.CITY: "e_changan", Role.COUNTY: "e_lianchi"}


def line(inside: bool):
    def pick(world, role):
        from qingshen.enterprises.models import Enterprise

        name = (INSIDE if inside else OUTSIDE).get(role)
        if name is None:
            return None
        enterprise = getattr(world, name)
        Enterprise.objects.filter(pk=enterprise.pk).update(status="suspended")
        return world.member(enterprise)

    return pick


def handover(inside: bool):
    def pick(world, role):
        from django.utils import timezone

        from qingshen.enforcement.models import EnforcementHandover
        from qingshen.enforcement.services import record_handover
        from qingshen.enterprises.models import Enterprise

        if inside:
            by = world.user(role) if role in OFFICIALS else world.user(Role.COUNTY)
        else:
            by = {Role.CITY: world.other_city_user, Role.COUNTY: world.other_county_user}.get(role)
            if by is None:
                return None
        earlier = EnforcementHandover.objects.filter(created_by=by).first()
        if earlier is not None:
            return earlier
        Enterprise.objects.filter(pk__in=[world.e_zhuozhou.pk, world.e_lianchi.pk, world.e_changan.pk]).update(
            status="suspended")
        return record_handover(by, world.campaign, category="suspended", recipient="测试执法支队",
                               handed_on=timezone.localdate())[0]

    return pick


PAGES = {
    "enforcement:list": Case(OFFICIALS),
    "enforcement:export": Case(OFFICIALS, method="post"),
    "enforcement:history": Case(OFFICIALS, pick=line),
    "enforcement:handovers": Case(OFFICIALS),
    "enforcement:handover_create": Case(OFFICIALS),
    "enforcement:handover_detail": Case(OFFICIALS, pick=handover),
    "enforcement:handover_file": Case(OFFICIALS, pick=handover),
}

API = {
    "enforcement-line-list": Case(OFFICIALS, pick=line),
    "enforcement-handover-list": Case(OFFICIALS, pick=handover),
    "enforcement-handover-detail": Case(OFFICIALS, pick=handover),
}
