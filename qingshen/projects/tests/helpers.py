"""Made-up roster lines in bulk, at every stage of the notice, for counts and query-count tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import make_enterprise
from qingshen.campaigns.models import CampaignEnterprise
from qingshen.core.roles import Role
from qingshen.files.services import store
from qingshen.notices.models import NoticeLetter
from qingshen.projects.models import AuditProject

STAGES = ("roster", "generated", "stamped", "dispatched", "accepted")


def add_member(world, name, region_code, stage, *, seq=100):
    """A roster line of world.campaign taken up to `stage` (rows made directly, not through the
    services: only their states matter here)."""
    enterprise = make_enterprise(name, region_code)
    member = CampaignEnterprise.objects.create(campaign=world.campaign, enterprise=enterprise, reasons=["key_task"],
                                               seq=seq)
    level = STAGES.index(stage)
    if level >= 1:
        now = timezone.now()
        task = world.campaign.notice_tasks.filter(organization__region_id=region_code).first() or world.notice_task(
            "130681")
        letter = NoticeLetter(task=task, member=member, account=world.user(Role.ENTERPRISE),
                              number=f"BULK-{member.pk}", generated_at=now)
        if level >= 2:
            letter.stamped_copy = _stamp()
            letter.stamped_revision = letter.revision
        if level >= 3:
            letter.dispatched_at = now
        letter.save()
    if level >= 4:
        AuditProject.objects.create(member=member, campaign=world.campaign, enterprise=enterprise,
                                    number=f"2021{region_code}9{member.pk:04d}", project_lead="测试",
                                    project_lead_mobile="13800138000", accepted_by=world.user(Role.ENTERPRISE),
                                    accepted_at=timezone.now())
    return member


_STAMP = {}


def _stamp():
    from conftest import blank_pdf

    if "file" not in _STAMP or not type(_STAMP["file"]).objects.filter(pk=_STAMP["file"].pk).exists():
        _STAMP["file"] = store(None, "盖章版.pdf", blank_pdf().read(), allowed=("pdf",))
    return _STAMP["file"]


def grow(world, count, *, regions=("130681", "130606", "130102", "130682"), start=0):
    """`count` lines in each region, cycling through the stages."""
    for n in range(start, start + count):
        for code in regions:
            add_member(world, f"规模测试{code}-{n}", code, STAGES[n % len(STAGES)], seq=1000 + n)


def queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(context)
