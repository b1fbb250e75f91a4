"""A CampaignWorld("accepted") built once per test module (its letters are real PDFs, so building
one takes seconds), inside a transaction rolled back at the end; each test runs in a savepoint
within it. `world.project` is 涿州测试企业's audit project; the enterprise is delegated to the
consultancy ZX0001 (测试咨询公司).

Helpers: `pdf(name)` is a real one-page PDF whose content differs per name (the evidence app
refuses the same file twice); `fill_everything(user, start)` completes every step through the
services, so a test can submit.
"""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from qingshen.accounts.models import User
from qingshen.industries.models import Industry
from qingshen.project_start import services
from qingshen.project_start.models import EiaApproval, FacilityAcceptance, MonitoringReport, Product


@pytest.fixture(scope="module")
def _shared_world(django_db_setup, django_db_blocker):
    from conftest import CampaignWorld, kept_for_module

    with kept_for_module(django_db_blocker):
        yield CampaignWorld("accepted")


@pytest.fixture
def world(_shared_world, db):
    return _shared_world


def sign_in(client, user):
    """Signs in with a fresh copy of the user (a test may have changed the shared objects' rows)."""
    client.force_login(User.objects.get(pk=user.pk))
    return client


def fresh(user):
    return User.objects.get(pk=user.pk)


def pdf(name="测试文件.pdf"):
    """A real one-page PDF; its metadata carries the name, so two names are two different files."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": name})
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


BASIC_COMPLETE = dict(
    enterprise_name="涿州测试企业", legal_representative="测试法人", town="测试镇", village="测试村",
    address="涿州市测试镇测试村1号", nature="私营有限责任公司", employees=35, working_days=300,
)


def fill_everything(user, start):
    """Every step complete (through the services), with one row and one file per step."""
    services.save_basic(user, start, industry=Industry.objects.get(code="1713"), **BASIC_COMPLETE)
    project = start.project
    services.add_row(user, Product, project, name="测试棉布", unit="万米", design_capacity=Decimal("500"),
                     output_1=Decimal("420"), output_2=Decimal("450"), output_3=Decimal("480"))
    services.add_row(user, EiaApproval, project, upload=pdf("环评批复-测试.pdf"), project_name="测试印染项目",
                     document_number="涿环审〔2015〕1号", approved_on=date(2015, 6, 1), authority="涿州市环境保护局")
    services.add_row(user, MonitoringReport, project, upload=pdf("监测报告-测试.pdf"), report_date=date(2021, 3, 1),
                     body="测试监测有限公司", pollutants="COD、氨氮")
    services.add_row(user, FacilityAcceptance, project, upload=pdf("验收意见-测试.pdf"), accepted_on=date(2016, 5, 1),
                     subject="污水处理站")
