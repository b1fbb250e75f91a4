"""The enterprise registry (企业名录): every company that is or may be ordered to audit."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse

from qingshen.core.scoping import ScopedModel
from qingshen.enterprises.choices import NATURE_CHOICES, PermitCategory, Status
from qingshen.enterprises.validators import normalise_uscc, validate_uscc


class Enterprise(ScopedModel):
    name = models.CharField("企业名称", max_length=200)
    uscc = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, null=True, blank=True, validators=[validate_uscc]
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name="所属区县", on_delete=models.PROTECT, related_name="enterprises"
    )
    town = models.CharField("乡镇（街道）", max_length=100, blank=True)
    village = models.CharField("村（社区）", max_length=100, blank=True)
    address = models.CharField("地址", max_length=300, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    industry = models.ForeignKey(
        "industries.Industry", verbose_name="所属行业", null=True, blank=True, on_delete=models.PROTECT,
        help_text="GB/T 4754-2017 小类；无法确定小类时可暂填大类",
    )
    nature = models.CharField("企业性质", max_length=30, choices=NATURE_CHOICES, blank=True)
    employees = models.PositiveIntegerField("从业人数", null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(
        "年工作日（天）", null=True, blank=True, validators=[MaxValueValidator(366)]
    )
    status = models.CharField("企业状态", max_length=12, choices=Status.choices, default=Status.RUNNING)
    double_exceed = models.BooleanField("是否双超", default=False)
    double_toxic = models.BooleanField("是否双有", default=False)
    water_related = models.BooleanField("是否涉水企业", default=False)
    in_approved_park = models.BooleanField("是否位于规划环评通过的工业园区", default=False)
    centralized_treatment = models.BooleanField("废水是否进入污水集中治理设施", default=False)
    permit_number = models.CharField("排污许可证编号", max_length=40, blank=True)
    permit_category = models.CharField(
        "排污许可管理类别", max_length=12, choices=PermitCategory.choices, blank=True
    )
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    jurisdiction_enterprise_lookup = "pk"

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["county_code", "name"]
        permissions = [("import_enterprise", "导入企业名单"), ("export_enterprise", "导出企业名录")]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="enterprise_name_unique_in_region"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("enterprises:detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.uscc = normalise_uscc(self.uscc)  # blank codes are NULL, so uniqueness ignores them
        self.set_scope_from_region(self.region)
        super().save(*args, **kwargs)


class Delegation(models.Model):
    """An enterprise's delegation of its audit to a consultancy (委托咨询机构)."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="delegations")
    consultancy = models.ForeignKey(
        "organizations.Organization", verbose_name="咨询服务机构", on_delete=models.PROTECT,
        limit_choices_to={"kind": "consultancy"}, related_name="delegations",
    )
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("委托时间", auto_now_add=True)

    class Meta:
        verbose_name = "委托"
        verbose_name_plural = "委托"
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "consultancy"], condition=models.Q(is_active=True),
                name="one_active_delegation_per_pair",
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} → {self.consultancy}"


class ImportBatch(models.Model):
    """An uploaded enterprise list: checked and previewed first, written only on confirmation."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "待确认"
        APPLIED = "applied", "已导入"
        DISCARDED = "discarded", "已放弃"

    owner = models.ForeignKey("accounts.User", verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    file = models.FileField("文件", upload_to="imports/enterprises/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    row_count = models.PositiveIntegerField("行数", default=0)
    created_count = models.PositiveIntegerField("新增", default=0)
    updated_count = models.PositiveIntegerField("更新", default=0)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    applied_at = models.DateTimeField("导入时间", null=True, blank=True)

    class Meta:
        verbose_name = "企业导入批次"
        verbose_name_plural = "企业导入批次"
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name
