"""The ledger, the project index, 方案汇总 and the API lists cost the same number of queries with
2 options as with 12."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qingshen.core.roles import Role
from qingshen.options.models import Option
from qingshen.options.tests.helpers import make_feasibility, make_option, project_for


def grow(world, start, count):
    """Options in two projects (涿州 and 莲池), every other one 中高费 with a feasibility analysis."""
    lianchi = project_for(world, world.e_lianchi, "202113060600001")
    for n in range(start, start + count):
        project = world.project if n % 2 else lianchi
        option = make_option(project, f"F{n}", cost_class=Option.CostClass.HIGH if n % 4 < 2 else "low",
                             investment=Decimal(n), water_saved=Decimal(n))
        if option.is_high_cost:
            make_feasibility(option)


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context)


@pytest.mark.parametrize(("role", "path"), [
    (Role.ENTERPRISE, "ledger"),
    (Role.COUNTY, "ledger"),
    (Role.CITY, "index"),
    (Role.PROVINCE, "summary"),
    (Role.CONSULTANCY, "api-list"),
    (Role.CITY, "api-list"),
    (Role.ENTERPRISE, "api-totals"),
    (Role.CITY, "api-summary"),
])
def test_constant_queries(world, sign_in, role, path):
    url = {"ledger": reverse("options:ledger", args=[world.project.pk]), "index": reverse("options:index"),
           "summary": reverse("options:summary"), "api-list": reverse("option-list"),
           "api-totals": reverse("option-totals"), "api-summary": reverse("option-summary")}[path]
    client = sign_in(world.user(role))
    grow(world, 1, 2)
    client.get(url)  # warm caches (content types, sessions)
    few = queries(client, url)
    grow(world, 3, 10)
    assert Option.objects.count() == 12
    many = queries(client, url)
    assert many == few, f"{path}: {few} queries with 2 options, {many} with 12"
