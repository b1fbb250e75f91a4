"""The campaign pages and endpoints in the jurisdiction harness (tests/test_jurisdiction.py).

Campaigns are visible to every official, permit authority and the administrator (no object is
outside their jurisdiction); an enterprise or consultancy sees only the campaigns that name it
(or an enterprise it serves), so for them a second campaign that names nobody lies outside.
Roster lines (名单企业) and milestones are scoped by place."""

from qingshen.core.roles import Role
from tests.jurisdiction_support import ALL, Case

VIEWERS = ALL - {Role.EXPERT}
PROVINCE = frozenset({Role.PROVINCE})


def _other_campaign(world):
    """A campaign that names none of the world's enterprises."""
    from qingshen.campaigns.models import Campaign

    return Campaign.objects.get_or_create(code="2021-OUT", defaults=dict(
        document_number="冀环测〔2021〕2号", batch="第一批", name="辖区外测试批次", year=2021, scope="其他企业",
        issuing_organization=world.user(Role.PROVINCE).organization,
    ))[0]


def campaign(inside: bool):
    def pick(world, role):
        if role == Role.EXPERT:
            return None
        if inside:
            return world.campaign
        if role in (Role.ENTERPRISE, Role.CONSULTANCY):
            return _other_campaign(world)
        return None

    return pick


def member(inside: bool):
    def pick(world, role):
        m = world.member
        inside_by_role = {
            Role.PROVINCE: m(world.e_zhuozhou), Role.SYSADMIN: m(world.e_changan), Role.CITY: m(world.e_lianchi),
            Role.COUNTY: m(world.e_zhuozhou), Role.PERMIT_AUTHORITY: m(world.e_lianchi),
            Role.ENTERPRISE: m(world.e_zhuozhou), Role.CONSULTANCY: m(world.e_zhuozhou),
        }
        outside_by_role = {
            Role.CITY: m(world.e_changan), Role.COUNTY: m(world.e_lianchi), Role.PERMIT_AUTHORITY: m(world.e_dingzhou),
            Role.ENTERPRISE: m(world.e_lianchi), Role.CONSULTANCY: m(world.e_lianchi), Role.EXPERT: m(world.e_zhuozhou),
        }
        return (inside_by_role if inside else outside_by_role).get(role)

    return pick


def province_member(inside: bool):
    """Removing a roster line is the province's alone: it sees every line."""

    def pick(world, role):
        return world.member(world.e_zhuozhou) if inside and role == Role.PROVINCE else None

    return pick


def _milestone(world, region_code):
    from datetime import date

    from qingshen.campaigns.models import Milestone, MilestoneKind, Party

    return Milestone.objects.get_or_create(
        campaign=world.campaign, region_id=region_code, kind=MilestoneKind.EVALUATION_APPLICATION,
        defaults={"party": Party.ENTERPRISE, "due_date": date(2022, 1, 20)},
    )[0]


def milestone(inside: bool):
    """Baoding's date (set by 130600 in the world) is read by Baoding and everything in it;
    Shijiazhuang's and 莲池区's own dates lie outside 保定 and 涿州 respectively."""

    def pick(world, role):
        if role == Role.EXPERT:
            return None
        if inside:
            return _milestone(world, "130600")
        outside_code = {
            Role.CITY: "130100", Role.PERMIT_AUTHORITY: "130100", Role.COUNTY: "130606",
            Role.ENTERPRISE: "130606", Role.CONSULTANCY: "130606",
        }.get(role)
        return _milestone(world, outside_code) if outside_code else None

    return pick


PAGES = {
    "campaigns:list": Case(VIEWERS),
    "campaigns:add": Case(PROVINCE),
    "campaigns:current_calendar": Case(VIEWERS, ok=(302,)),
    "campaigns:detail": Case(VIEWERS, pick=campaign),
    "campaigns:edit": Case(PROVINCE, pick=campaign),
    "campaigns:calendar": Case(VIEWERS, pick=campaign),
    "campaigns:add_members": Case(PROVINCE, pick=campaign),
    "campaigns:remove_member": Case(PROVINCE, method="post", pick=province_member,
                                    kwargs=lambda m: {"pk": m.campaign_id, "member_pk": m.pk}),
}

API = {
    "campaign-list": Case(VIEWERS, pick=campaign),
    "campaign-detail": Case(VIEWERS, pick=campaign),
    "campaignenterprise-list": Case(VIEWERS, pick=member),
    "campaignenterprise-detail": Case(VIEWERS, pick=member),
    "milestone-list": Case(VIEWERS, pick=milestone),
}
