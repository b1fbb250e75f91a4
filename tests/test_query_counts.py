"""Pages run a constant number of queries whatever the data size (NetBox-style baselines):
each list page is loaded with a few rows and with many more, and must cost the same."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_enterprise, make_user
from qingshen.audit_trail.services import record
from qingshen.core.roles import Role
from qingshen.jobs.models import Job
from qingshen.organizations.models import Organization

PAGES = ["/", "/enterprises/", "/accounts/", "/organizations/", "/audit-trail/", "/jobs/", "/regions/",
         "/industries/", "/api/enterprises/", "/api/users/", "/api/events/", "/api/organizations/"]


def grow(world, count, start):
    """Adds `count` enterprises (with accounts, events and jobs) in 涿州 — the county user's own."""
    county = world.user(Role.COUNTY)
    for n in range(start, start + count):
        enterprise = make_enterprise(f"规模测试企业{n}", "130681")
        org = Organization.objects.create(kind=Organization.Kind.ENTERPRISE, name=enterprise.name,
                                          account_code=f"QY130681{n:04d}", region=enterprise.region,
                                          enterprise=enterprise)
        make_user(f"QY130681{n:04d}", org)
        record("enterprise.update", actor=county, obj=enterprise, before={"employees": 1}, after={"employees": n})
        Job.objects.create(owner=county, kind="enterprises.export", title=f"导出{n}")


def queries_for(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(context)


@pytest.mark.parametrize("path", PAGES)
def test_query_count_does_not_grow_with_rows(world, client, path):
    client.force_login(world.user(Role.COUNTY))
    grow(world, 3, 100)
    client.get(path)  # warm caches (content types, sessions)
    small = queries_for(client, path)
    grow(world, 25, 200)
    large = queries_for(client, path)
    assert large == small, f"{path}: {small} queries with few rows, {large} with many"
