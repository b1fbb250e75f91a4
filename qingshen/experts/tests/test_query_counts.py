"""The list page and the API list cost the same number of queries with 2
experts as with 8 (each with industries, conflicts and, every other one, an account)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_user
from qingshen.core.roles import Role
from qingshen.experts.models import Expert, Field
from qingshen.experts.tests.helpers import make_expert
from qingshen.industries.models import Industry


def grow(world, start, count):
    divisions = list(Industry.objects.filter(code__in=["26", "28", "33"]))
    for n in range(start, start + count):
        expert = make_expert(f"规模测试专家{n}", pool="130600" if n % 3 else "130000",
                             fields=[Field.ENERGY, Field.PROCESS])
        expert.industries.set(divisions[: 1 + n % 3])
        expert.conflict_consultancies.set([world.consultancy_org])
        expert.conflict_enterprises.set([world.e_zhuozhou, world.e_lianchi])
        if n % 2:
            expert.user = make_user(f"ZJ0001-{n:02d}", world.expert_org, department=False)
            expert.save()


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context)


@pytest.mark.parametrize(("role", "url"), [
    (Role.PROVINCE, "/experts/"),
    (Role.CITY, "/experts/?field=energy&industry=26&is_active=true"),
    (Role.PROVINCE, "/api/experts/"),
    (Role.CITY, "/api/experts/?industry=26"),
])
def test_constant_queries(world, login, role, url):
    client = login(world.user(role))
    grow(world, 1, 2)
    client.get(url)  # warm caches (content types, sessions)
    few = queries(client, url)
    grow(world, 3, 6)
    assert Expert.objects.count() == 8
    many = queries(client, url)
    assert many == few, f"{url}: {few} queries with 2 experts, {many} with 8"
