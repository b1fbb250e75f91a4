"""What every project-start page shares: the project (from `restrict(user)`, so a project
outside the user's jurisdiction or delegation is a 404), its start, what the user may do, the
step bar, breadcrumbs, and how a row's values are shown."""

from decimal import Decimal

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import get_object_or_404
from django.urls import reverse

from qingshen.core.roles import Role
from qingshen.core.views import Breadcrumbs
from qingshen.project_start import services
from qingshen.project_start.models import CHANGE_PERMISSION, SUBMIT_PERMISSION, VIEW_PERMISSION
from qingshen.projects.models import AuditProject

ENTERPRISE_SIDE = frozenset({Role.ENTERPRISE, Role.CONSULTANCY})
LIST_CRUMB = ("项目启动", "/project-start/")

#: The wizard's steps: slug, label, url name (the seed's 1 基本信息 … 6 提交任务).
STEPS = [
    ("basic", "基本信息", "project_start:detail"),
    ("products", "产品信息", "project_start:products"),
    ("eia", "环境影响评价信息", "project_start:eia"),
    ("monitoring", "监测信息", "project_start:monitoring"),
    ("acceptance", "环保工程验收", "project_start:acceptance"),
    ("submit", "提交任务", "project_start:submit"),
]
STEP_SLUGS = [slug for slug, _, _ in STEPS]


def step_url(step: str, pk: int) -> str:
    return reverse(dict((s, name) for s, _, name in STEPS)[step], args=[pk])


def neighbour(step: str, offset: int) -> str | None:
    index = STEP_SLUGS.index(step) + offset
    return STEP_SLUGS[index] if 0 <= index < len(STEP_SLUGS) else None


def project_crumbs(user, project) -> list:
    """The trail up to the project: the enterprise side's 项目启动 list, or the officials' 清审项目."""
    if user.role in ENTERPRISE_SIDE:
        return [LIST_CRUMB, (f"{project.campaign.name}（{project.number}）",
                             reverse("project_start:detail", args=[project.pk]))]
    return [("任务管理", None), ("清审项目", "/projects/"),
            (f"{project.number} {project.enterprise.name}", reverse("projects:detail", args=[project.pk]))]


class ProjectMixin(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs):
    """A page about one audit project's start, records or rows (`pk` = the project)."""

    permission_required = VIEW_PERMISSION
    page_label = "项目启动"

    def get_project(self):
        if not hasattr(self, "project"):
            self.project = get_object_or_404(
                AuditProject.objects.restrict(self.request.user).select_related(
                    "campaign", "enterprise__region__parent__parent", "enterprise__industry"),
                pk=self.project_pk())
        return self.project

    def project_pk(self):
        return self.kwargs["pk"]

    def get_start(self):
        """The start; a filler's first visit creates it. None for a reader before the enterprise began."""
        if not hasattr(self, "start"):
            self.start = services.start_for(self.request.user, self.get_project())
            if self.start is not None:
                self.start.project = self.project  # already loaded, with its enterprise and campaign
        return self.start

    @property
    def may_fill(self) -> bool:
        return self.request.user.has_perm(CHANGE_PERMISSION)

    @property
    def may_submit(self) -> bool:
        return self.request.user.has_perm(SUBMIT_PERMISSION)

    def require_fill(self):
        if not self.may_fill:
            raise PermissionDenied(services.FILL_REFUSED)

    def get_breadcrumbs(self):
        return [*project_crumbs(self.request.user, self.get_project()), (self.page_label, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(project=self.get_project(), may_fill=self.may_fill, may_submit=self.may_submit)
        return context


def show_errors(form, exc: ValidationError):
    """A service's refusal on the form: by field where it names one the form has, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                message = error.message % error.params if error.params else error.message
                form.add_error(field if field in form.fields else None, message)
            if field in form.fields:  # the red border, as for the form's own errors
                widget = form.fields[field].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
    else:
        for message in exc.messages:
            form.add_error(None, message)


def display(row, name: str) -> str:
    """A row's value as the pages show it ("" when blank)."""
    field = row._meta.get_field(name)
    value = getattr(row, name)
    if value in (None, ""):
        return ""
    if field.choices:
        return getattr(row, f"get_{name}_display")()
    if isinstance(field, models.DateField):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(field, models.ForeignKey):
        return getattr(value, "name", str(value))
    return str(value)


def row_cells(row, fields, labels) -> list[tuple[str, str]]:
    return [(labels.get(name, str(row._meta.get_field(name).verbose_name)), display(row, name)) for name in fields]
