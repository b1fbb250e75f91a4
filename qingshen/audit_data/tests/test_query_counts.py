"""Each table page, a balance's page and each API list cost the same number of queries with 2
rows as with 12 (no query per row: balances' lines are prefetched, totals summed in Python)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingshen.audit_data.models import BalanceLine
from qingshen.audit_data.tests import helpers
from qingshen.core.roles import Role

PAGES = {"raw_materials": "raw-materials", "water": "water", "pollutants": "pollutants", "audit_focus": "audit-focus",
         "targets": "targets", "material_balance": "material-balance", "water_balance": "water-balance"}
API = {"raw_materials": "material-uses", "water": "water-uses", "pollutants": "pollutant-records",
       "audit_focus": "audit-focuses", "targets": "targets", "water_balance": "balances"}


def grow(project, code, count, start):
    for n in range(start, start + count):
        if code == "water":
            helpers.water(project, year=2000 + n)
        else:
            helpers.FACTORIES[code](project)


def queries_for(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(context)


def compare(client, path, grow_by):
    grow_by(2, 0)
    client.get(path)  # warm caches (content types, session)
    small = queries_for(client, path)
    grow_by(10, 2)
    large = queries_for(client, path)
    assert large == small, f"{path}: {small} queries with 2 rows, {large} with 12"


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.COUNTY])
@pytest.mark.parametrize("code", list(PAGES))
def test_table_pages(data_world, sign_in, code, role):
    project = data_world.project
    client = sign_in(data_world.user(role))
    compare(client, f"/audit-data/{project.pk}/{PAGES[code]}/", lambda n, start: grow(project, code, n, start))


@pytest.mark.parametrize("code", list(API))
def test_api_lists(data_world, sign_in, code):
    project = data_world.project
    client = sign_in(data_world.user(Role.CONSULTANCY))
    compare(client, f"/api/audit-data/{API[code]}/?project={project.pk}",
            lambda n, start: grow(project, code, n, start))


def test_a_balance_page_and_the_index(data_world, sign_in):
    project = data_world.project
    balance = helpers.balance(project, lines=())
    client = sign_in(data_world.user(Role.ENTERPRISE))

    def lines(n, start):
        for i in range(start, start + n):
            BalanceLine.objects.create(balance=balance, direction="in" if i % 2 else "out", item=f"测试项{i}（编造）",
                                       quantity=i, unit="m³/d")
            grow(project, "targets", 1, i)

    compare(client, f"/audit-data/balances/{balance.pk}/", lines)
    compare(client, f"/audit-data/{project.pk}/", lambda n, start: [grow(project, code, n, 100 + start)
                                                                    for code in helpers.FACTORIES])
