"""The expert pool's rows of the jurisdiction harness (tests/test_jurisdiction.py).

Inside: an expert of 保定市专家库 (the city 130600's own pool; the province sees every pool).
Outside: an expert of 石家庄市专家库 (another city's, for 保定市). Only the province and the
cities keep pools; every other role is refused (403).
"""

from qingshen.core.roles import Role
from qingshen.experts.models import Expert
from qingshen.regions.models import Region
from tests.jurisdiction_support import Case

KEEPERS = frozenset({Role.PROVINCE, Role.CITY})


def pool_expert(pool_code, name):
    """A made-up expert of that pool (written directly: only its place matters here)."""
    expert, _ = Expert.objects.get_or_create(
        pool=Region.objects.get(code=pool_code), name=name, employer="辖区测试专家单位",
        defaults={"home_region": Region.objects.get(code="130681")})
    return expert


def expert(inside: bool):
    def pick(world, role):
        if inside:
            return pool_expert("130600", "保定库测试专家")  # for other roles: the probe refused with 403
        return pool_expert("130100", "石家庄库测试专家") if role == Role.CITY else None

    return pick


PAGES = {
    "experts:list": Case(KEEPERS),
    "experts:add": Case(KEEPERS),
    "experts:import": Case(KEEPERS),
    "experts:import_template": Case(KEEPERS),
    # Without a signed payload the confirmation sends the user back to the upload (302).
    "experts:import_confirm": Case(KEEPERS, method="post"),
    "experts:detail": Case(KEEPERS, pick=expert),
    "experts:edit": Case(KEEPERS, pick=expert),
    "experts:set_active": Case(KEEPERS, method="post", pick=expert),
    # The province gets the one-time password page; a city is told why not (both redirect).
    "experts:create_account": Case(KEEPERS, method="post", pick=expert),
}

API = {
    "expert-list": Case(KEEPERS, pick=expert),
    "expert-detail": Case(KEEPERS, pick=expert),
}
