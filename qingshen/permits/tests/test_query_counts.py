"""The permit pages and API lists cost the same number of queries for few or many lines,
changes and reports."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qingshen.core.roles import Role
from qingshen.permits import services
from qingshen.permits.models import PermitReport
from qingshen.permits.tests.helpers import (
    authority,
    categorise,
    dates,
    extra_lines,
    pdf,
)


def queries(client, path, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params or {})
        assert response.status_code == 200, path
    return len(captured)


def changes(world, lines):
    for line in lines:
        services.record_change(world.user(Role.PERMIT_AUTHORITY), line, changed_on=timezone.localdate(),
                               permit_number=f"TEST{line.pk:08d}", upload=pdf())


def reports(world, codes):
    for code in codes:
        user = authority(world, code)
        report = services.save_draft(user, world.campaign, note="（测试）", expected_version=0)
        PermitReport.objects.filter(pk=report.pk).update(status="submitted", submitted_at=timezone.now())


def test_lists_do_not_grow(world, sign_in):
    categorise(world, lianchi="key", zhuozhou="simplified")
    dates(world, updated=timezone.localdate() + timedelta(days=5), reported=timezone.localdate() + timedelta(days=9))
    campaign = {"campaign": world.campaign.pk}
    authority_pages = [("/permits/", campaign), ("/permits/export/", campaign), ("/permits/report/", campaign),
                       ("/api/permit-changes/", {}), ("/api/permit-reports/", {})]
    city_pages = [("/permits/received/", campaign), ("/api/permit-reports/", {}), ("/permits/", campaign)]

    def measure():
        authority_client = sign_in(world.user(Role.PERMIT_AUTHORITY))
        counted = [queries(authority_client, path, params) for path, params in authority_pages]
        city_client = sign_in(world.user(Role.CITY))
        return counted + [queries(city_client, path, params) for path, params in city_pages]

    changes(world, extra_lines(world, 1))
    reports(world, ["130681"])
    small = measure()
    changes(world, extra_lines(world, 6, start=10, region="130681"))
    reports(world, ["130606", "130602", "130683"])  # 130600 stays without one: its page shows live lines
    large = measure()
    assert small == large
