"""The pages and the API list cost the same number of queries with little data as with more
(options, results, report versions of several departments)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import department
from qingshen.core.roles import Role
from qingshen.options.models import Option
from qingshen.options.tests.helpers import make_option, project_for
from qingshen.reviews.models import Review
from qingshen.summaries import figures
from qingshen.summaries.models import SummaryReport
from qingshen.summaries.tests.helpers import reviewed


def grow(world, start, count):
    """Options in 涿州 and 莲池, results, and returned versions of the county and city reports."""
    lianchi = project_for(world, world.e_lianchi, "202113060600001")
    for n in range(start, start + count):
        project = world.project if n % 2 else lianchi
        make_option(project, f"F{n}", cost_class=Option.CostClass.HIGH if n % 3 else "low",
                    status=Option.Status.IMPLEMENTED if n % 4 else Option.Status.PROPOSED,
                    investment=Decimal(n), water_saved=Decimal(n))
        reviewed(project, "evaluation", Review.Status.RECTIFY)
    for code in ("130681", "130606", "130600"):
        organization = department(code)
        frozen = figures.compute(world.campaign, organization.region, "work")
        version = SummaryReport.objects.filter(organization=organization).count()
        for n in range(count):
            SummaryReport(campaign=world.campaign, organization=organization, kind="work", version=version + n + 1,
                          status=SummaryReport.Status.RETURNED, submitted_at=timezone.now(), figures=frozen,
                          progress="测试", achievements="测试", problems="测试", next_steps="测试",
                          return_reason="测试：退回").save()


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context)


@pytest.mark.parametrize(("role", "name"), [
    (Role.CITY, "index"), (Role.COUNTY, "index"), (Role.CITY, "received"), (Role.PROVINCE, "received"),
    (Role.COUNTY, "edit"), (Role.CITY, "edit"), (Role.PROVINCE, "edit"), (Role.CITY, "detail"),
    (Role.CITY, "api"), (Role.PROVINCE, "api"),
])
def test_constant_queries(world, sign_in, role, name):
    def url():
        if name == "edit":
            return reverse("summaries:edit", args=[world.campaign.pk, "work"])
        if name == "detail":
            report = SummaryReport.objects.filter(organization=department("130681")).order_by("-version").first()
            return reverse("summaries:detail", args=[report.pk])
        if name == "api":
            return reverse("summaryreport-list") + f"?campaign={world.campaign.pk}"
        return reverse(f"summaries:{name}") + (f"?campaign={world.campaign.pk}" if name == "received" else "")

    client = sign_in(world.user(role))
    grow(world, 1, 2)
    small = queries(client, url())
    grow(world, 10, 12)
    assert queries(client, url()) == small
