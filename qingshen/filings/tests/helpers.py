"""Made-up data for the filings tests: real files (Pillow JPEGs, pypdf PDFs), projects made
directly in bulk, and a made-up data table registered for the length of one test."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from conftest import blank_pdf, make_enterprise
from qingshen.campaigns.models import CampaignEnterprise
from qingshen.core.roles import Role
from qingshen.evidence import services as evidence
from qingshen.filings.models import Phase, PhaseFiling
from qingshen.projects.models import AuditProject

#: The preparation phase's required items in the default checklist, by kind.
PREPARATION_DOCUMENTS = ("prep_team", "prep_plan", "prep_training_records")
PREPARATION_PHOTOS = ("prep_training_photos",)


def jpeg(name="培训照片.jpg", shade=0):
    """A real JPEG; `shade` makes each one different (the evidence app refuses duplicates)."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (shade % 256, (shade * 7) % 256, 120)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(name="文件.pdf", pages=1):
    return blank_pdf(name, pages=pages)


def filing(project, phase=Phase.PREPARATION) -> PhaseFiling:
    return PhaseFiling.objects.get(project=project, phase=phase)


def fill_preparation(user, filing_row, *, photos=True):
    """Attach a file to every required item of the default preparation checklist."""
    for n, code in enumerate(PREPARATION_DOCUMENTS, start=1):
        evidence.attach(user, filing_row, pdf(f"{code}.pdf", pages=n), slot=code)
    if photos:
        for n, code in enumerate(PREPARATION_PHOTOS, start=1):
            evidence.attach(user, filing_row, jpeg(f"{code}.jpg", shade=n), slot=code)


def made_up_project(world, n, region_code="130681"):
    """An accepted project for a made-up enterprise (rows made directly: only its place and
    its filings matter here)."""
    enterprise = make_enterprise(f"痕迹测试虚构企业{n}", region_code)
    member = CampaignEnterprise.objects.create(campaign=world.campaign, enterprise=enterprise, reasons=["key_task"],
                                               seq=500 + n)
    return AuditProject.objects.create(
        member=member, campaign=world.campaign, enterprise=enterprise, number=f"2021{region_code}8{n:04d}",
        project_lead="测试", project_lead_mobile="13800138000", accepted_by=world.user(Role.ENTERPRISE),
        accepted_at=timezone.now())
