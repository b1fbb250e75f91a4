"""Campaigns (清审批次): the document that orders them, the enterprises they name, the target
rules they apply and their calendar of milestones, which lower levels may only tighten."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from qingshen.core.roles import OFFICIAL_ROLES, Role
from qingshen.core.scoping import ScopedModel, jurisdiction_of


class TargetRule(models.Model):
    """An audit target (审核目标), as the seed's notices state them (rules 1–4)."""

    code = models.CharField("编号", max_length=20, unique=True)
    title = models.CharField("名称", max_length=100)
    text = models.TextField("内容")

    class Meta:
        verbose_name = "审核目标"
        verbose_name_plural = "审核目标"
        ordering = ["code"]

    def __str__(self):
        return self.title


class CampaignQuerySet(models.QuerySet):
    def restrict(self, user):
        """Officials, permit authorities and administrators see every campaign; an enterprise
        (or its consultancy) the campaigns that name it; experts none (their reviews come later)."""
        jurisdiction = jurisdiction_of(user)
        if jurisdiction is None:
            return self.none()
        if jurisdiction.role in OFFICIAL_ROLES or jurisdiction.role in (Role.SYSADMIN, Role.PERMIT_AUTHORITY):
            return self
        members = CampaignEnterprise.objects.restrict(user).values("campaign_id")
        if jurisdiction.role in (Role.ENTERPRISE, Role.CONSULTANCY):
            return self.filter(pk__in=members)
        return self.none()


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        ACTIVE = "active", "进行中"
        CLOSED = "closed", "已结束"

    document_number = models.CharField("文号", max_length=60)
    batch = models.CharField("批次", max_length=30)
    name = models.CharField("清审任务名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    code = models.SlugField("批次代码", max_length=20, unique=True, help_text="告知书编号的前缀，如 2021-392")
    scope = models.CharField("范围", max_length=100, help_text="如 白洋淀流域涉水企业")
    issuing_organization = models.ForeignKey(
        "organizations.Organization", verbose_name="发文单位", on_delete=models.PROTECT, related_name="+"
    )
    issue_date = models.DateField("发布日期", null=True, blank=True)
    requirements = models.TextField("通知要求", blank=True)
    letter_preamble = models.TextField(
        "告知书开头", blank=True,
        help_text="告知书正文第一句，从“根据……”到“……名单”，如附件3模板所写",
    )
    deadline = models.DateField("截止日期", null=True, blank=True, help_text="清审任务通知的截止日期")
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系方式", max_length=50, blank=True)
    target_rules = models.ManyToManyField(TargetRule, verbose_name="审核目标", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    roster_published_on = models.DateField("名单公布日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "清审批次"
        verbose_name_plural = "清审批次"
        ordering = ["-year", "-created_at"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("campaigns:detail", args=[self.pk])


class Reason(models.TextChoices):
    """Why an enterprise is ordered to audit (纳入原因); an enterprise may have several."""

    DOUBLE_EXCEED = "double_exceed", "双超"
    DOUBLE_TOXIC = "double_toxic", "双有"
    HIGH_ENERGY = "high_energy", "综合能耗高"
    KEY_TASK = "key_task", "重点工作任务"


class HandlingLevel(models.TextChoices):
    PROVINCE = "province", "省直管"
    CITY = "city", "市直管"


class CampaignEnterprise(ScopedModel):
    """One enterprise named by a campaign (a line of its roster)."""

    class Status(models.TextChoices):
        INCLUDED = "included", "纳入"
        EXCLUDED = "excluded", "不纳入"
        PROPOSED = "proposed", "增补待审"

    campaign = models.ForeignKey(Campaign, verbose_name="清审批次", on_delete=models.PROTECT, related_name="members")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="campaign_memberships"
    )
    reasons = models.JSONField("纳入原因", default=list, help_text="Reason 的代码列表")
    handling_level = models.CharField("办理机构", max_length=10, choices=HandlingLevel.choices, default=HandlingLevel.CITY)
    status = models.CharField("核定结果", max_length=10, choices=Status.choices, default=Status.INCLUDED)
    exclusion_reason = models.TextField("不纳入的说明", blank=True)
    proposed_by = models.ForeignKey(
        "organizations.Organization", verbose_name="增补单位", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    seq = models.PositiveIntegerField("名单序号", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    jurisdiction_enterprise_lookup = "enterprise"

    class Meta:
        verbose_name = "名单企业"
        verbose_name_plural = "名单企业"
        ordering = ["seq", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "enterprise"], name="one_membership_per_campaign"),
        ]

    def __str__(self):
        return f"{self.campaign.name} · {self.enterprise.name}"

    def save(self, *args, **kwargs):
        self.set_scope_from_region(self.enterprise.region)
        super().save(*args, **kwargs)

    @property
    def reason_labels(self) -> list[str]:
        labels = dict(Reason.choices)
        return [labels.get(code, code) for code in self.reasons]


class MilestoneKind(models.TextChoices):
    """The steps of the seed's 时间步骤, in order."""

    NOTIFY = "notify", "下载告知书并书面通知企业"
    DISCLOSURE = "disclosure", "登录系统填报并公布审核信息"
    PERMIT_UPDATED = "permit_updated", "审核要求列入排污许可证"
    PERMIT_REPORTED = "permit_reported", "报送排污许可证变更情况"
    EVALUATION_APPLICATION = "evaluation_application", "完成方案制定并提出评估申请"
    EVALUATION_DONE = "evaluation_done", "完成评估"
    EVALUATION_SUMMARY = "evaluation_summary", "报送评估情况汇总"
    ACCEPTANCE_APPLICATION = "acceptance_application", "完成方案实施并提出验收申请"
    ACCEPTANCE_DONE = "acceptance_done", "完成验收"
    WORK_SUMMARY = "work_summary", "报送工作总结"
    EXTRA = "extra", "其他"


class Party(models.TextChoices):
    """Who must meet a milestone."""

    ENTERPRISE = "enterprise", "企业"
    COUNTY = "county", "县级生态环境部门"
    CITY = "city", "市级生态环境部门"
    PERMIT_AUTHORITY = "permit_authority", "排污许可发证部门"
    HANDLING_LEVEL = "handling_level", "负责评估验收的部门"


PARTY_OF_KIND = {
    MilestoneKind.NOTIFY: Party.COUNTY,
    MilestoneKind.DISCLOSURE: Party.ENTERPRISE,
    MilestoneKind.PERMIT_UPDATED: Party.PERMIT_AUTHORITY,
    MilestoneKind.PERMIT_REPORTED: Party.PERMIT_AUTHORITY,
    MilestoneKind.EVALUATION_APPLICATION: Party.ENTERPRISE,
    MilestoneKind.EVALUATION_DONE: Party.HANDLING_LEVEL,
    MilestoneKind.EVALUATION_SUMMARY: Party.CITY,
    MilestoneKind.ACCEPTANCE_APPLICATION: Party.ENTERPRISE,
    MilestoneKind.ACCEPTANCE_DONE: Party.HANDLING_LEVEL,
    MilestoneKind.WORK_SUMMARY: Party.CITY,
}


class MilestoneQuerySet(models.QuerySet):
    def restrict(self, user):
        """The dates a user may read: in the campaigns it sees, those set by the levels above
        its place, by its place itself and (for officials) by the places below it. A county
        sees the province's, its city's and its own; a city also its counties'; an enterprise
        (or consultancy) those that apply where it (or an enterprise it serves) is."""
        jurisdiction = jurisdiction_of(user)
        if jurisdiction is None:
            return self.none()
        queryset = self.filter(campaign__in=Campaign.objects.restrict(user).values("pk"))
        if jurisdiction.sees_everything:
            return queryset
        organization = user.organization
        if jurisdiction.role == Role.CONSULTANCY:
            from qingshen.enterprises.models import Enterprise

            served = Enterprise.objects.filter(pk__in=jurisdiction.delegated_enterprise_ids())
            return queryset.filter(
                models.Q(region_id__in=served.values("province_code"))
                | models.Q(region_id__in=served.values("city_code"))
                | models.Q(region_id__in=served.values("county_code"))
            )
        if organization is None or organization.region_id is None:
            return self.none()
        region = organization.region
        above = [code for code in (region.province_code, region.city_code, region.county_code) if code]
        mine = models.Q(region_id__in=above) | models.Q(region_id=region.code)
        if jurisdiction.role in OFFICIAL_ROLES or jurisdiction.role == Role.PERMIT_AUTHORITY:
            if jurisdiction.level in ("city", "county"):
                mine |= models.Q(**{f"region__{jurisdiction.level}_code": jurisdiction.code})
            return queryset.filter(mine)
        if jurisdiction.role == Role.ENTERPRISE:
            return queryset.filter(mine)
        return self.none()


class Milestone(models.Model):
    """A date a level sets for its region. The date that applies to an enterprise is the
    earliest one set for that step by the province, its city and its county."""

    campaign = models.ForeignKey(Campaign, verbose_name="清审批次", on_delete=models.CASCADE, related_name="milestones")
    region = models.ForeignKey("regions.Region", verbose_name="设定区域", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("节点", max_length=30, choices=MilestoneKind.choices)
    label = models.CharField("名称", max_length=100, blank=True, help_text="“其他”节点的名称，或对节点的补充说明")
    party = models.CharField("责任方", max_length=20, choices=Party.choices)
    due_date = models.DateField("截止日期", null=True, blank=True)
    days_after_publication = models.PositiveSmallIntegerField(
        "名单公布后天数", null=True, blank=True, help_text="如“自企业名单公布后 10 日内”"
    )
    document_number = models.CharField("依据文号", max_length=60, blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = "时间节点"
        verbose_name_plural = "时间节点"
        ordering = ["due_date", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "region", "kind"], condition=~models.Q(kind="extra"),
                name="one_milestone_of_a_kind_per_region",
            ),
            models.CheckConstraint(
                condition=models.Q(due_date__isnull=False) | models.Q(days_after_publication__isnull=False),
                name="milestone_has_a_date",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        if self.kind == MilestoneKind.EXTRA:
            return self.label
        return self.get_kind_display()


class CampaignTask(ScopedModel):
    """A department's part of a campaign as it passes down the cascade (province → city →
    county): the roster verification (rosters.RosterTask) and the task notice
    (notices.NoticeTask) each have one per department, linked to the level above's task.
    Each concrete task declares its campaign and organization links (their reverse names differ)
    and its own statuses."""

    parent = models.ForeignKey("self", verbose_name="上级任务", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    level = models.CharField("层级", max_length=10)
    attachments = models.ManyToManyField("files.StoredFile", verbose_name="通知文件", blank=True, related_name="+")
    attested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    attested_at = models.DateTimeField("确认时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.campaign.name} · {self.organization.name}"

    def save(self, *args, **kwargs):
        self.set_scope_from_region(self.organization.region)
        super().save(*args, **kwargs)

    def members_in_region(self, queryset):
        """`queryset` of the campaign's enterprises narrowed to this department's region."""
        region = self.organization.region
        if region.level == "province":
            return queryset
        return queryset.filter(**{f"{region.level}_code": region.code})
