"""Accounts. Each belongs to an organisation whose kind gives its role; the organisation's
main account (单位主账号) is named by the organisation's account code — a department's is its
six-digit region code, as in the seed — and may add named staff accounts beneath it, so that
every action has a person behind it."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from qingshen.core.roles import OFFICIAL_ROLES, Role
from qingshen.core.scoping import ScopedModel, ScopedQuerySet

account_name_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,39}$",
    "账号只能包含字母、数字、下划线、点和短横线，3–40 个字符，并以字母或数字开头。",
)


class UserManager(BaseUserManager.from_queryset(ScopedQuerySet)):
    use_in_migrations = True

    def create_user(self, username, password=None, **extra):
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username, password=None, **extra):
        extra.setdefault("role", Role.SYSADMIN)
        extra.setdefault("full_name", "系统管理员")
        extra.setdefault("must_change_password", False)
        return self.create_user(username, password, is_superuser=True, **extra)


class User(ScopedModel, AbstractBaseUser, PermissionsMixin):
    username = models.CharField("登录账号", max_length=40, unique=True, validators=[account_name_validator])
    full_name = models.CharField("姓名", max_length=100)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="所属单位", null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    is_department_account = models.BooleanField(
        "单位主账号", default=False, help_text="单位主账号可以在本单位下添加、停用工作人员账号"
    )
    mobile = models.CharField("移动电话", max_length=20, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    is_active = models.BooleanField("启用", default=True)
    must_change_password = models.BooleanField("须修改初始密码", default=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    date_joined = models.DateTimeField("创建时间", default=timezone.now)
    created_by = models.ForeignKey(
        "self", verbose_name="创建人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"
        ordering = ["username"]
        permissions = [
            ("manage_staff", "管理本单位工作人员账号"),
            ("add_department_account", "创建下级部门账号"),
            ("add_enterprise_account", "创建企业账号"),
            ("unlock_account", "解除登录锁定"),
        ]

    def __str__(self):
        return f"{self.full_name}（{self.username}）" if self.full_name != self.username else self.username

    @property
    def is_staff(self) -> bool:
        return False  # there is no Django admin site; administration runs through the product

    @property
    def is_official(self) -> bool:
        return self.role in OFFICIAL_ROLES

    def save(self, *args, **kwargs):
        if self.organization_id is not None:
            self.set_scope_from_region(self.organization.region)
        super().save(*args, **kwargs)

    @classmethod
    def filter_for_jurisdiction(cls, queryset, jurisdiction):
        """Officials see the accounts of their region; everyone else their own organisation's."""
        if jurisdiction.sees_everything or jurisdiction.role in OFFICIAL_ROLES:
            return super().filter_for_jurisdiction(queryset, jurisdiction)
        if jurisdiction.organization_id is None:
            return queryset.filter(pk=jurisdiction.user_id)
        return queryset.filter(organization_id=jurisdiction.organization_id)
