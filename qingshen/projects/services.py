"""接受清审任务: the enterprise names its project lead and accepts; the audit project begins."""

import phonenumbers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from qingshen.audit_trail.services import record
from qingshen.campaigns.models import CampaignEnterprise
from qingshen.core.roles import Role
from qingshen.projects.models import AuditProject, ProjectNumberCounter


def validate_mobile(value: str) -> str:
    """A mainland mobile number that can receive SMS; returned as 11 digits."""
    text = value.strip().replace(" ", "").replace("-", "")
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        number = None
    if (number is None or number.country_code != 86 or not phonenumbers.is_valid_number(number)
            or phonenumbers.number_type(number) not in (phonenumbers.PhoneNumberType.MOBILE,
                                                        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)):
        raise ValidationError({"project_lead_mobile": "请填写能接收短信的 11 位手机号码。"})
    return str(number.national_number)


def next_number(year: int, region_code: str) -> str:
    """Year + county code + five-digit sequence, from a locked counter (call inside a transaction)."""
    prefix = f"{year}{region_code}"
    try:
        with transaction.atomic():
            ProjectNumberCounter.objects.get_or_create(prefix=prefix)
    except IntegrityError:
        pass  # another acceptance created the counter first
    counter = ProjectNumberCounter.objects.select_for_update().get(prefix=prefix)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}{counter.last:05d}"


def accept(actor, member: CampaignEnterprise, *, project_lead: str, project_lead_mobile: str) -> AuditProject:
    if actor.role != Role.ENTERPRISE or actor.organization is None:
        raise PermissionDenied("只有企业账号可以接受清审任务。")
    errors = {}
    if not project_lead.strip():
        errors["project_lead"] = "请填写项目负责人。"
    try:
        mobile = validate_mobile(project_lead_mobile)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock the roster line only (of=self): a plain FOR UPDATE would also lock the joined
        # campaign and region rows, queueing every acceptance of the campaign, or of the county,
        # behind one another and behind campaign edits. Numbers come from the counter's lock.
        member = (CampaignEnterprise.objects.select_for_update(of=("self",))
                  .select_related("campaign", "enterprise__region").get(pk=member.pk))
        if member.enterprise_id != actor.organization.enterprise_id:
            raise PermissionDenied("只能接受本企业的清审任务。")
        letter = getattr(member, "letter", None)
        if letter is None or letter.dispatched_at is None:
            raise ValidationError("所在地生态环境部门尚未下发本企业的告知书。")
        existing = AuditProject.objects.filter(member=member).first()
        if existing is not None:
            raise ValidationError(f"本企业已于 {timezone.localtime(existing.accepted_at):%Y-%m-%d %H:%M} 接受该任务（项目编号 {existing.number}）。")
        region = member.enterprise.region
        project = AuditProject(
            member=member, campaign=member.campaign, enterprise=member.enterprise,
            number=next_number(member.campaign.year, region.county_code or region.code),
            project_lead=project_lead.strip(), project_lead_mobile=mobile, accepted_by=actor,
            accepted_at=timezone.now(),
        )
        project.save()
        record("project.accept", actor=actor, obj=project,
               after={"number": project.number, "project_lead": project.project_lead, "mobile": mobile},
               summary=f"接受清审任务，项目编号 {project.number}")
    return project
