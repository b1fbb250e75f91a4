"""Lists cost the same number of queries with 2 rows as with 12 (made-up rows, named so)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_enterprise
from qingshen.campaigns.models import CampaignEnterprise
from qingshen.core.roles import Role
from qingshen.enterprises.models import Delegation
from qingshen.project_start import services
from qingshen.project_start.models import AuditContract, Disclosure, EiaApproval, Product
from qingshen.project_start.tests.conftest import fresh, pdf, sign_in
from qingshen.projects.models import AuditProject


def queries(client, path) -> int:
    client.get(path)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(context)


def delegated_projects(world, first, last):
    """Made-up enterprises in 涿州 with accepted projects, delegated to the consultancy ZX0001;
    every other one has begun its project start."""
    consultancy = fresh(world.user(Role.CONSULTANCY))
    for n in range(first, last):
        enterprise = make_enterprise(f"计数测试企业{n}", "130681")
        member = CampaignEnterprise.objects.create(campaign=world.campaign, enterprise=enterprise,
                                                   reasons=["key_task"], seq=500 + n)
        project = AuditProject.objects.create(
            member=member, campaign=world.campaign, enterprise=enterprise, number=f"20211306819{n:04d}",
            project_lead="测试", project_lead_mobile="13800138000", accepted_by=world.user(Role.ENTERPRISE),
            accepted_at=timezone.now())
        Delegation.objects.create(enterprise=enterprise, consultancy=world.consultancy_org)
        if n % 2:
            services.start_for(consultancy, project)


def add_rows(world, model, first, last):
    user = fresh(world.user(Role.ENTERPRISE))
    for n in range(first, last):
        if model is Product:
            services.add_row(user, Product, world.project, name=f"计数测试产品{n}", unit="吨")
        elif model is EiaApproval:
            services.add_row(user, EiaApproval, world.project, upload=pdf(f"计数测试批复{n}.pdf"),
                             document_number=f"计数测试〔2015〕{n}号", approved_on=date(2015, 1, 1), authority="测试局")
        elif model is Disclosure:
            services.add_row(user, Disclosure, world.project, upload=pdf(f"计数测试公布{n}.pdf"),
                             disclosed_on=date(2021, 10, 1), channel="media", note=f"计数测试{n}")
        else:
            services.add_row(user, AuditContract, world.project, upload=pdf(f"计数测试合同{n}.pdf"),
                             consultancy=world.consultancy_org, signed_on=date(2021, 10, 1), amount=n)


def test_list_page_and_api_list_of_starts(world, client):
    sign_in(client, world.user(Role.CONSULTANCY))
    delegated_projects(world, 0, 2)
    page, api = queries(client, reverse("project_start:list")), queries(client, reverse("projectstart-list"))
    delegated_projects(world, 2, 12)
    assert AuditProject.objects.restrict(world.user(Role.CONSULTANCY)).count() == 13
    assert queries(client, reverse("project_start:list")) == page
    assert queries(client, reverse("projectstart-list")) == api


@pytest.mark.parametrize("model, pages", [
    (Product, ["project_start:products"]),
    (EiaApproval, ["project_start:eia"]),
    (Disclosure, ["project_start:disclosures"]),
    (AuditContract, ["project_start:contracts"]),
])
def test_row_pages_and_api_lists(world, client, model, pages):
    services.start_for(fresh(world.user(Role.ENTERPRISE)), world.project)
    sign_in(client, world.user(Role.ENTERPRISE))
    basename = {Product: "startproduct", EiaApproval: "eiaapproval", Disclosure: "disclosure",
                AuditContract: "auditcontract"}[model]
    paths = [reverse(name, args=[world.project.pk]) for name in pages] + [reverse(f"{basename}-list")]
    add_rows(world, model, 0, 2)
    small = [queries(client, path) for path in paths]
    add_rows(world, model, 2, 12)
    assert model.objects.filter(project=world.project).count() == 12
    assert [queries(client, path) for path in paths] == small
