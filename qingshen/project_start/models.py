"""项目启动: the enterprise's first filing after it accepts the task, and its public records.

`ProjectStart` is one per audit project and shares the project's id (its primary key *is* the
project), so every address can use the project's number whether or not the filing exists yet:
it is created, prefilled from the enterprise registry, on a filler's first visit. Its rows
(products, EIA approvals, monitoring reports, facility acceptances) belong to the project too,
so they are scoped like every other row of the enterprise (`project__enterprise`) and the
evidence app finds their project through `.project`.

`Disclosure` (信息公布) and `AuditContract` (审核合同) are records of the project, not part of
the wizard: the enterprise keeps adding them after the start is submitted.

Products keep their actual output of the last three years in three fields (`output_1` = three
years before the campaign year … `output_3` = the year before it): the years follow from the
campaign, a product has exactly three of them, and a form or an API client fills a flat row.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django_fsm import FSMField, FSMModelMixin, transition

from qingshen.core.scoping import ScopedModel
from qingshen.enterprises.choices import NATURE_CHOICES

SUBMIT_PERMISSION = "project_start.submit_projectstart"
CHANGE_PERMISSION = "project_start.change_projectstart"
VIEW_PERMISSION = "project_start.view_projectstart"


class ProjectScoped(ScopedModel):
    """A row of one audit project, placed (and so scoped) where its enterprise is."""

    jurisdiction_enterprise_lookup = "project__enterprise"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.set_scope_from_region(self.project.enterprise.region)
        super().save(*args, **kwargs)


class ProjectStart(FSMModelMixin, ProjectScoped):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交"

    class AuditMode(models.TextChoices):
        SELF = "self", "自行开展"
        CONSULTANCY = "consultancy", "委托咨询机构"

    project = models.OneToOneField("projects.AuditProject", verbose_name="清洁生产审核项目", primary_key=True,
                                   on_delete=models.PROTECT, related_name="start")
    status = FSMField("状态", default=Status.DRAFT, choices=Status.choices, protected=True)
    enterprise_name = models.CharField("企业名称", max_length=200, blank=True)
    legal_representative = models.CharField("法人", max_length=50, blank=True)
    town = models.CharField("乡镇（街道）", max_length=100, blank=True)
    village = models.CharField("村（社区）", max_length=100, blank=True)
    address = models.CharField("地址", max_length=300, blank=True)
    industry = models.ForeignKey("industries.Industry", verbose_name="所属行业", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", limit_choices_to={"level": "class"},
                                 help_text="GB/T 4754-2017 小类")
    nature = models.CharField("企业性质", max_length=30, choices=NATURE_CHOICES, blank=True)
    employees = models.PositiveIntegerField("从业人数", null=True, blank=True)
    working_days = models.PositiveSmallIntegerField("年工作日（天）", null=True, blank=True,
                                                    validators=[MaxValueValidator(366)])
    audit_mode = models.CharField("审核方式", max_length=12, choices=AuditMode.choices, blank=True)
    consultancy = models.ForeignKey("organizations.Organization", verbose_name="咨询服务机构", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    limit_choices_to={"kind": "consultancy"})
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "项目启动"
        verbose_name_plural = "项目启动"
        ordering = ["project"]
        permissions = [("submit_projectstart", "提交项目启动")]

    def __str__(self):
        return f"项目启动 {self.project.number}"

    def get_absolute_url(self):
        return reverse("project_start:detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def output_years(self) -> list[int]:
        """The three years whose actual output a product reports: those before the campaign's."""
        year = self.project.campaign.year
        return [year - 3, year - 2, year - 1]

    @transition(field=status, source=Status.DRAFT, target=Status.SUBMITTED, permission=SUBMIT_PERMISSION)
    def submit(self):
        """提交任务: the enterprise itself, once nothing is missing (the service checks that)."""

    @transition(field=status, source=Status.SUBMITTED, target=Status.DRAFT, permission="reviews.handle_review")
    def reopen(self):
        """An intake review found a problem in it: open again for the enterprise to revise."""


class ProjectRow(ProjectScoped):
    """A row the enterprise or its consultancy keeps: its own edit counter, its project."""

    version = models.PositiveIntegerField("版本", default=1, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    #: The evidence app's slots: this row has one file, in slot "file".
    evidence_slots: dict[str, str] = {}
    #: The fields a row needs before the start (or the record) counts as complete.
    required_fields: tuple[str, ...] = ()
    #: A row of the wizard's steps 2–5: frozen with the start once it is submitted.
    in_wizard = False

    class Meta:
        abstract = True

    @property
    def start(self):
        return self.project.start

    def evidence_editable(self, user) -> bool:
        """Asked by the evidence app: may this user add, replace or withdraw this row's files now?"""
        if not user.has_perm(CHANGE_PERMISSION):
            return False
        if not self.in_wizard:
            return True
        return ProjectStart.objects.filter(pk=self.project_id, status=ProjectStart.Status.DRAFT).exists()


class Product(ProjectRow):
    project = models.ForeignKey("projects.AuditProject", verbose_name="清洁生产审核项目", on_delete=models.PROTECT,
                                related_name="start_products")
    name = models.CharField("产品名称", max_length=100, blank=True)
    unit = models.CharField("计量单位", max_length=30, blank=True, help_text="如 吨、万米、万件")
    design_capacity = models.DecimalField("设计产能", max_digits=16, decimal_places=3, null=True, blank=True,
                                          validators=[MinValueValidator(0)], help_text="按所填计量单位，每年")
    output_1 = models.DecimalField("实际产量（前第三年）", max_digits=16, decimal_places=3, null=True, blank=True,
                                   validators=[MinValueValidator(0)])
    output_2 = models.DecimalField("实际产量（前第二年）", max_digits=16, decimal_places=3, null=True, blank=True,
                                   validators=[MinValueValidator(0)])
    output_3 = models.DecimalField("实际产量（前一年）", max_digits=16, decimal_places=3, null=True, blank=True,
                                   validators=[MinValueValidator(0)])

    required_fields = ("name", "unit", "design_capacity", "output_1", "output_2", "output_3")
    in_wizard = True

    class Meta:
        verbose_name = "产品信息"
        verbose_name_plural = "产品信息"
        ordering = ["project", "pk"]

    def __str__(self):
        return self.name or f"产品 {self.pk}"


class EiaApproval(ProjectRow):
    project = models.ForeignKey("projects.AuditProject", verbose_name="清洁生产审核项目", on_delete=models.PROTECT,
                                related_name="eia_approvals")
    project_name = models.CharField("建设项目名称", max_length=200, blank=True)
    document_number = models.CharField("批复文号", max_length=100, blank=True)
    approved_on = models.DateField("批复日期", null=True, blank=True)
    authority = models.CharField("审批部门", max_length=100, blank=True)

    evidence_slots = {"file": "环评批复文件"}
    required_fields = ("document_number", "approved_on", "authority")
    in_wizard = True

    class Meta:
        verbose_name = "环境影响评价批复"
        verbose_name_plural = "环境影响评价批复"
        ordering = ["project", "approved_on", "pk"]

    def __str__(self):
        return self.document_number or self.project_name or f"环评批复 {self.pk}"


class MonitoringReport(ProjectRow):
    project = models.ForeignKey("projects.AuditProject", verbose_name="清洁生产审核项目", on_delete=models.PROTECT,
                                related_name="monitoring_reports")
    report_date = models.DateField("监测日期", null=True, blank=True)
    body = models.CharField("监测机构", max_length=200, blank=True)
    pollutants = models.TextField("监测污染物", blank=True, help_text="如 COD、氨氮、总磷、pH")

    evidence_slots = {"file": "监测报告"}
    required_fields = ("report_date", "body", "pollutants")
    in_wizard = True

    class Meta:
        verbose_name = "监测报告"
        verbose_name_plural = "监测报告"
        ordering = ["project", "report_date", "pk"]

    def __str__(self):
        when = f"{self.report_date:%Y-%m-%d} " if self.report_date else ""
        return f"{when}{self.body}".strip() or f"监测报告 {self.pk}"


class FacilityAcceptance(ProjectRow):
    project = models.ForeignKey("projects.AuditProject", verbose_name="清洁生产审核项目", on_delete=models.PROTECT,
                                related_name="facility_acceptances")
    accepted_on = models.DateField("验收日期", null=True, blank=True)
    subject = models.CharField("验收内容", max_length=200, blank=True, help_text="验收的环保工程或建设项目")

    evidence_slots = {"file": "验收文件"}
    required_fields = ("accepted_on", "subject")
    in_wizard = True

    class Meta:
        verbose_name = "环保工程验收"
        verbose_name_plural = "环保工程验收"
        ordering = ["project", "accepted_on", "pk"]

    def __str__(self):
        return self.subject or f"环保工程验收 {self.pk}"


class Disclosure(ProjectRow):
    """信息公布: where and when the enterprise published its audit information (the seed's
    letter: 当地主要媒体、企业官方网站或采取其他便于公众知晓的方式)."""

    class Channel(models.TextChoices):
        MEDIA = "media", "当地主要媒体"
        WEBSITE = "website", "企业官方网站"
        OTHER = "other", "其他"

    project = models.ForeignKey("projects.AuditProject", verbose_name="清洁生产审核项目", on_delete=models.PROTECT,
                                related_name="disclosures")
    disclosed_on = models.DateField("公布日期", null=True, blank=True)
    channel = models.CharField("公布方式", max_length=10, choices=Channel.choices, blank=True)
    link = models.URLField("网址链接", max_length=500, blank=True)
    note = models.TextField("说明", blank=True, help_text="媒体名称、版面，或其他公布方式的说明")

    evidence_slots = {"file": "公布截图或证明材料"}
    required_fields = ("disclosed_on", "channel")

    class Meta:
        verbose_name = "信息公布"
        verbose_name_plural = "信息公布"
        ordering = ["project", "disclosed_on", "pk"]

    def __str__(self):
        when = f"{self.disclosed_on:%Y-%m-%d} " if self.disclosed_on else ""
        return f"{when}{self.get_channel_display()}".strip() or f"信息公布 {self.pk}"


class AuditContract(ProjectRow):
    """审核合同 with a consultancy; the seed asks for the original to reach the city bureau."""

    project = models.ForeignKey("projects.AuditProject", verbose_name="清洁生产审核项目", on_delete=models.PROTECT,
                                related_name="audit_contracts")
    consultancy = models.ForeignKey("organizations.Organization", verbose_name="咨询服务机构", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    limit_choices_to={"kind": "consultancy"})
    signed_on = models.DateField("签订日期", null=True, blank=True)
    amount = models.DecimalField("合同金额（万元）", max_digits=12, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(0)])
    original_sent_on = models.DateField("原件报送市局日期", null=True, blank=True,
                                        help_text="合同原件报送市生态环境局的日期")

    evidence_slots = {"file": "合同扫描件"}
    required_fields = ("consultancy", "signed_on")

    class Meta:
        verbose_name = "审核合同"
        verbose_name_plural = "审核合同"
        ordering = ["project", "signed_on", "pk"]

    def __str__(self):
        return f"审核合同 {self.consultancy.name}" if self.consultancy_id else f"审核合同 {self.pk}"
