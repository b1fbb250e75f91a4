"""Organisations: every account belongs to one, and its kind decides the account's role.

Departments (the provincial department, city bureaus, county branches) and permit
authorities exist once per region and are created from the region tree
(`loader.sync_departments`). Enterprises, consultancies and expert institutions are added
as they come.
"""

from django.db import models
from django.urls import reverse

from qingshen.core.roles import Role
from qingshen.core.scoping import ScopedModel


class Organization(ScopedModel):
    class Kind(models.TextChoices):
        PROVINCE_DEPARTMENT = "province_department", "省生态环境厅"
        CITY_BUREAU = "city_bureau", "市生态环境局"
        COUNTY_BRANCH = "county_branch", "县（市、区）生态环境分局"
        PERMIT_AUTHORITY = "permit_authority", "行政审批局"
        ENTERPRISE = "enterprise", "企业"
        CONSULTANCY = "consultancy", "咨询服务机构"
        EXPERT_INSTITUTION = "expert_institution", "专家所在单位"

    DEPARTMENT_KINDS = (Kind.PROVINCE_DEPARTMENT, Kind.CITY_BUREAU, Kind.COUNTY_BRANCH)
    ROLE_OF_KIND = {
        Kind.PROVINCE_DEPARTMENT: Role.PROVINCE,
        Kind.CITY_BUREAU: Role.CITY,
        Kind.COUNTY_BRANCH: Role.COUNTY,
        Kind.PERMIT_AUTHORITY: Role.PERMIT_AUTHORITY,
        Kind.ENTERPRISE: Role.ENTERPRISE,
        Kind.CONSULTANCY: Role.CONSULTANCY,
        Kind.EXPERT_INSTITUTION: Role.EXPERT,
    }

    kind = models.CharField("单位类型", max_length=24, choices=Kind.choices, db_index=True)
    name = models.CharField("单位名称", max_length=200)
    account_code = models.CharField(
        "账号代码", max_length=40, unique=True,
        help_text="本单位主账号的登录名；生态环境部门为六位区划代码",
    )
    region = models.ForeignKey("regions.Region", verbose_name="所在区划", on_delete=models.PROTECT)
    enterprise = models.OneToOneField(
        "enterprises.Enterprise", verbose_name="企业", null=True, blank=True,
        on_delete=models.PROTECT, related_name="organization",
    )
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["account_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "region"],
                condition=models.Q(kind__in=["province_department", "city_bureau", "county_branch", "permit_authority"]),
                name="one_department_of_each_kind_per_region",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def role(self) -> str:
        return self.ROLE_OF_KIND[self.kind]

    @property
    def is_department(self) -> bool:
        return self.kind in self.DEPARTMENT_KINDS

    def get_absolute_url(self):
        return reverse("organizations:detail", args=[self.pk])

    @classmethod
    def filter_for_jurisdiction(cls, queryset, jurisdiction):
        """Officials see the organisations of their region; everyone else only their own."""
        if jurisdiction.sees_everything or jurisdiction.is_regional or jurisdiction.role == Role.PROVINCE:
            return super().filter_for_jurisdiction(queryset, jurisdiction)
        return queryset.filter(pk=jurisdiction.organization_id)

    def save(self, *args, **kwargs):
        self.set_scope_from_region(self.region)
        super().save(*args, **kwargs)
