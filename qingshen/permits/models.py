"""排污许可联动: the permit authority (行政审批局 / 排污许可发证部门) writes the campaign's audit
deadline into the discharge permits of the roster's 重点管理 and 简化管理 enterprises, records
each change here, and reports the state of its region upward.

`PermitChange` is the current state of one roster line (one row per line, so the list page
joins it in the same query). Each recording or correction also writes an immutable
`PermitChangeVersion`, so an earlier date, number and permit page stay readable and
downloadable after a correction: the audit trail says who changed what, the versions keep the
documents themselves.

`PermitReport` is the authority's 排污许可证变更情况 for a campaign, a version per row
(`qingshen.campaigns.reporting.UpwardReport`): its lines are frozen when it is submitted.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from qingshen.campaigns.models import MilestoneKind
from qingshen.campaigns.reporting import UpwardReport
from qingshen.core.scoping import ScopedModel
from qingshen.enterprises.choices import PermitCategory

#: The categories whose permits must carry the audit deadline (the seed: 重点管理和简化管理).
LISTED_CATEGORIES = (PermitCategory.KEY, PermitCategory.SIMPLIFIED)


class PermitChange(ScopedModel):
    member = models.OneToOneField("campaigns.CampaignEnterprise", verbose_name="名单企业", on_delete=models.PROTECT,
                                  related_name="permit_change")
    changed_on = models.DateField("变更日期")
    permit_number = models.CharField("排污许可证编号", max_length=40)
    requirement = models.TextField("列入的环境管理要求")
    file = models.ForeignKey("files.StoredFile", verbose_name="变更后的许可证页面", on_delete=models.PROTECT,
                             related_name="+")
    note = models.TextField("备注", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField("登记时间")
    version = models.PositiveIntegerField("版本", default=1)

    jurisdiction_enterprise_lookup = "member__enterprise"

    class Meta:
        verbose_name = "排污许可证变更"
        verbose_name_plural = "排污许可证变更"
        ordering = ["county_code", "member__seq", "pk"]

    def __str__(self):
        return f"{self.member.enterprise.name} 排污许可证变更"

    def save(self, *args, **kwargs):
        self.set_scope_from_region(self.member.enterprise.region)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("permits:record", args=[self.member_id])


class PermitChangeVersion(models.Model):
    """One recording of a change, never edited: version 1 is the first record, each correction
    adds the next. Read through its PermitChange (which carries the jurisdiction)."""

    change = models.ForeignKey(PermitChange, verbose_name="排污许可证变更", on_delete=models.PROTECT,
                               related_name="versions")
    version = models.PositiveIntegerField("版本")
    changed_on = models.DateField("变更日期")
    permit_number = models.CharField("排污许可证编号", max_length=40)
    requirement = models.TextField("列入的环境管理要求")
    file = models.ForeignKey("files.StoredFile", verbose_name="变更后的许可证页面", on_delete=models.PROTECT,
                             related_name="+")
    note = models.TextField("备注", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "排污许可证变更记录"
        verbose_name_plural = "排污许可证变更记录"
        ordering = ["change", "-version"]
        constraints = [models.UniqueConstraint(fields=["change", "version"], name="one_permit_change_version")]

    def __str__(self):
        return f"{self.change} 第 {self.version} 版"


class PermitReport(UpwardReport):
    """A permit authority's 排污许可证变更情况 for one campaign (one row per version)."""

    milestone_kind = MilestoneKind.PERMIT_REPORTED

    lines = models.JSONField("变更情况明细", default=list, blank=True,
                             help_text="报送时冻结：企业、管理类别、是否变更、变更日期、许可证编号")
    counts = models.JSONField("统计", default=dict, blank=True)
    note = models.TextField("情况说明", blank=True)

    class Meta:
        verbose_name = "排污许可证变更情况报送"
        verbose_name_plural = "排污许可证变更情况报送"
        ordering = ["campaign", "organization", "-version"]
        permissions = [("submit_permitreport", "报送排污许可证变更情况"),
                       ("return_permitreport", "退回排污许可证变更情况")]
        constraints = [models.UniqueConstraint(fields=["campaign", "organization", "version"],
                                               name="one_permit_report_version")]

    def __str__(self):
        return f"{self.organization.name} 排污许可证变更情况（第 {self.version} 版）"

    def get_absolute_url(self):
        return reverse("permits:report_detail", args=[self.pk])
