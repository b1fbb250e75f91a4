"""专家库: the experts who review evaluation and acceptance applications.

An expert belongs to a pool: the province's (region 河北省) or a city's (region that city),
kept by that level (`restrict(user)`: the province sees every pool, a city its own). Each expert
may have an account (role 专家, in an organisation of kind 专家所在单位) and then sees only the
reviews it is drawn for.

What the draw needs is here: specialties (GB/T 4754 divisions and named fields), where the
expert is from (`home_region`, for the same-county rule), and declared conflicts (its
employer, consultancies and enterprises it worked for or advised).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from qingshen.core.scoping import ScopedModel


class Field(models.TextChoices):
    """Named specialties besides industries (GB/T 4754 divisions)."""

    CLEANER_PRODUCTION = "cleaner_production", "清洁生产"
    ENERGY = "energy", "节能"
    ENVIRONMENT = "environment", "环保"
    PROCESS = "process", "行业工艺"


class Expert(ScopedModel):
    name = models.CharField("姓名", max_length=50)
    employer = models.CharField("工作单位", max_length=200)
    title = models.CharField("职称", max_length=50, blank=True)
    pool = models.ForeignKey("regions.Region", verbose_name="所属专家库", on_delete=models.PROTECT,
                             related_name="+", help_text="省级专家库为河北省，市级专家库为该市")
    home_region = models.ForeignKey("regions.Region", verbose_name="所在地区", on_delete=models.PROTECT,
                                    related_name="+", help_text="专家工作或居住的县（市、区），用于同县回避")
    fields = models.JSONField("专业领域", default=list, blank=True, help_text="清洁生产、节能、环保、行业工艺")
    industries = models.ManyToManyField("industries.Industry", verbose_name="熟悉行业（大类）", blank=True,
                                        related_name="experts", limit_choices_to={"level": "division"})
    phone = models.CharField("联系电话", max_length=20, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    is_active = models.BooleanField("在库（可抽取）", default=True)
    conflict_consultancies = models.ManyToManyField(
        "organizations.Organization", verbose_name="曾服务的咨询机构", blank=True, related_name="+",
        limit_choices_to={"kind": "consultancy"}, help_text="回避：专家受雇于或曾为其工作的咨询服务机构")
    conflict_enterprises = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name="曾服务或指导的企业", blank=True, related_name="+",
        help_text="回避：专家任职、服务或指导过的企业")
    note = models.TextField("备注", blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="账号", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="expert")
    version = models.PositiveIntegerField("修改次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "专家"
        verbose_name_plural = "专家"
        ordering = ["pool", "name", "pk"]
        permissions = [("import_expert", "导入专家库")]
        constraints = [
            # The import matches an expert by name and employer within its pool; two rows with
            # the same three would make that match ambiguous.
            models.UniqueConstraint(fields=["pool", "name", "employer"], name="experts_expert_unique_in_pool"),
        ]

    def __str__(self):
        return f"{self.name}（{self.employer}）"

    def get_absolute_url(self):
        return reverse("experts:detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.set_scope_from_region(self.pool)
        super().save(*args, **kwargs)

    @property
    def field_labels(self) -> list[str]:
        labels = dict(Field.choices)
        return [labels.get(code, code) for code in self.fields]
