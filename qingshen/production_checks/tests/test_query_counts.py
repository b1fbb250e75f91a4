"""The list page, the export and the API list cost the same number of queries with 2 checks as
with 10."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qingshen.core.roles import Role
from qingshen.production_checks.models import ProductionCheck
from qingshen.production_checks.tests.helpers import NOT_MET, peer_check, record


def grow(world, count):
    """Checks in two counties of 保定 (涿州 and 莲池): scored ones with values, and peer ones."""
    city = world.user(Role.CITY)
    for n in range(count):
        if n % 2:
            record(world, role=Role.CITY, enterprise=world.e_lianchi, conclusion=NOT_MET if n % 4 == 1 else "")
        else:
            peer_check(world.e_zhuozhou, city)


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context)


@pytest.mark.parametrize("path", ["list", "export", "api-list"])
def test_constant_queries(world, sign_in, path):
    url = {"list": reverse("production_checks:list"), "export": reverse("production_checks:export"),
           "api-list": reverse("productioncheck-list")}[path]
    client = sign_in(world.user(Role.CITY))
    grow(world, 2)
    client.get(url)  # warm caches (content types, sessions)
    few = queries(client, url)
    grow(world, 8)
    assert ProductionCheck.objects.count() == 10
    many = queries(client, url)
    assert many == few, f"{path}: {few} queries with 2 checks, {many} with 10"
