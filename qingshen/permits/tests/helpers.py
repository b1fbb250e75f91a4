"""Made-up permit data for the tests (names say they are made up)."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from qingshen.campaigns import services as campaigns
from qingshen.campaigns.models import CampaignEnterprise, MilestoneKind
from qingshen.core.roles import Role
from qingshen.files.tests import samples
from qingshen.organizations.models import Organization


def pdf(name="许可证副本（测试）.pdf"):
    return SimpleUploadedFile(name, samples.pdf_bytes(), content_type="application/pdf")


def categorise(world, **categories):
    """categorise(world, lianchi="key", zhuozhou="simplified"): set the world's enterprises' categories."""
    for short, category in categories.items():
        enterprise = getattr(world, f"e_{short}")
        enterprise.permit_category = category
        enterprise.save()
        world.member(enterprise).enterprise = enterprise


def member(world, enterprise):
    line = CampaignEnterprise.objects.select_related("enterprise__region", "campaign").get(
        campaign=world.campaign, enterprise=enterprise)
    return line


def authority(world, code):
    """The permit authority of region `code` and an account of it (XK + code)."""
    from conftest import department, make_user
    from qingshen.accounts.models import User

    organization = department(code, Organization.Kind.PERMIT_AUTHORITY)
    user = User.objects.filter(username=f"XK{code}").first() or make_user(f"XK{code}", organization)
    return user


def dates(world, *, updated: date | None = None, reported: date | None = None):
    province = world.user(Role.PROVINCE)
    if updated:
        campaigns.set_milestone(province, world.campaign, kind=MilestoneKind.PERMIT_UPDATED, due_date=updated)
    if reported:
        campaigns.set_milestone(province, world.campaign, kind=MilestoneKind.PERMIT_REPORTED, due_date=reported)


def extra_lines(world, count, *, start=1, region="130606"):
    """`count` more 重点管理 roster lines in 莲池 (made directly: only their place matters)."""
    from conftest import make_enterprise

    out = []
    for n in range(start, start + count):
        enterprise = make_enterprise(f"测试许可企业{n}", region, permit_category="key")
        out.append(CampaignEnterprise.objects.create(campaign=world.campaign, enterprise=enterprise, seq=100 + n))
    return out


def read_xlsx(content: bytes):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
