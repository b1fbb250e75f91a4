"""移交执法部门: recording that an official handed a campaign's enforcement list to the enforcement
department. The only state change of this app.

The record freezes the list as it stands at that moment (the lines with their histories, as
JSON) and the .xlsx made from the same rows, stored through `qingshen.files`; it is immutable.

Double submission: the form carries a one-time token; a second POST of the same form finds the
hand-over the first one made and returns it (nothing is recorded twice). Two different forms
submitting the same hand-over (same unit, campaign, category, recipient and date) within a
minute are refused with a message saying so. The official's organization row is locked while
checking, so two concurrent requests cannot both pass the checks.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qingshen.audit_trail.services import record, snapshot
from qingshen.campaigns.models import Campaign
from qingshen.core.roles import OFFICIAL_ROLES
from qingshen.enforcement import export
from qingshen.enforcement.models import ALL, CATEGORY_CHOICES, EnforcementHandover
from qingshen.files.services import store
from qingshen.organizations.models import Organization

ADD = "enforcement.add_enforcementhandover"
REPEAT_WINDOW = timedelta(minutes=1)
CATEGORIES = dict(CATEGORY_CHOICES)


def _check(actor, campaign, category, recipient, handed_on):
    if not actor.has_perm(ADD) or actor.role not in OFFICIAL_ROLES or actor.organization_id is None:
        raise PermissionDenied("只有生态环境部门可以登记执法移交。")
    if not Campaign.objects.restrict(actor).filter(pk=campaign.pk).exists():
        raise PermissionDenied("该清审批次不存在或您无权查看。")
    errors = {}
    if category not in CATEGORIES:
        errors["category"] = "请选择移交类别。"
    if not recipient:
        errors["recipient"] = "请填写接收单位（如 保定市生态环境综合执法支队）。"
    elif len(recipient) > 200:
        errors["recipient"] = "接收单位不能超过 200 个字。"
    if handed_on is None:
        errors["handed_on"] = "请填写移交日期。"
    elif handed_on > timezone.localdate():
        errors["handed_on"] = f"移交日期 {handed_on:%Y-%m-%d} 晚于今天，请填写实际移交的日期。"
    if errors:
        raise ValidationError(errors)


def record_handover(actor, campaign, *, category: str = ALL, recipient: str, handed_on, note: str = "",
                    form_token: str = "") -> tuple[EnforcementHandover, bool]:
    """Freeze the list and record the hand-over: (the hand-over, whether it was made now)."""
    recipient, note, form_token = (recipient or "").strip(), (note or "").strip(), (form_token or "").strip()[:64]
    _check(actor, campaign, category, recipient, handed_on)
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=actor.organization_id)
        if form_token:
            earlier = EnforcementHandover.objects.filter(created_by=actor, form_token=form_token).first()
            if earlier is not None:
                return earlier, False
        now = timezone.now()
        repeated = EnforcementHandover.objects.filter(
            organization=organization, campaign=campaign, category=category, recipient=recipient,
            handed_on=handed_on, created_at__gte=now - REPEAT_WINDOW).first()
        if repeated is not None:
            raise ValidationError(
                f"{timezone.localtime(repeated.created_at):%H:%M:%S} 已登记过相同的移交（{CATEGORIES[category]}，"
                f"接收单位 {recipient}，{handed_on:%Y-%m-%d}），一分钟内不重复登记。请到“移交记录”中查看。")
        rows = export.rows(actor, campaign, category)
        if not rows:
            raise ValidationError({"category": f"{campaign.name}的“{CATEGORIES[category]}”清单目前没有企业，无需移交。"})
        content = export.workbook(campaign.name, export.scope_of(actor), rows, category, made_at=now)
        name = f"执法移交清单-{campaign.code}-{CATEGORIES[category]}-{handed_on:%Y%m%d}.xlsx"
        stored = store(actor, name, content, allowed=("xlsx",))
        handover = EnforcementHandover.objects.create(
            campaign=campaign, organization=organization, category=category, recipient=recipient,
            handed_on=handed_on, note=note, lines=rows, line_count=len(rows), workbook=stored,
            form_token=form_token, created_by=actor)
        record("enforcement.handover", actor=actor, obj=handover,
               after={**snapshot(handover, ["campaign", "organization", "category", "recipient", "handed_on",
                                            "note", "line_count", "workbook"]),
                      "enterprises": [row["enterprise"] for row in rows]},
               summary=f"向{recipient}移交{campaign.name}执法移交清单（{CATEGORIES[category]}，{len(rows)} 家企业）")
    return handover, True
