"""The wizard: 1 基本信息, 2 产品信息, 3 环境影响评价信息, 4 监测信息, 5 环保工程验收, 6 提交任务.

Every step's form has 保存 (stay), 下一步 and 上一步; all three save what was typed first, and
saving never requires the required fields. On steps 2–5 the form adds a row: an empty form adds
nothing and only moves. Readers (officials, or anyone once the start is submitted) see the same
pages without forms. Before the enterprise begins, a reader sees that it has not begun.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import ListView, TemplateView

from qingshen.core.views import ScopedViewMixin
from qingshen.project_start import services
from qingshen.project_start.forms import FORMS, BasicForm
from qingshen.project_start.models import VIEW_PERMISSION
from qingshen.project_start.views.common import STEPS, ProjectMixin, neighbour, row_cells, show_errors, step_url
from qingshen.projects.filters import AuditProjectFilterSet
from qingshen.projects.models import AuditProject

ACTIONS = {"save": 0, "next": 1, "prev": -1}


class ProjectStartListView(ScopedViewMixin, ListView):
    """项目启动 → 详情: the projects the user may see, each with its start's state."""

    model = AuditProject
    permission_required = VIEW_PERMISSION
    template_name = "project_start/list.html"
    breadcrumbs = [("项目启动", None)]
    paginate_by = 50

    def get_queryset(self):
        queryset = (AuditProject.objects.restrict(self.request.user)
                    .select_related("campaign", "enterprise__region", "start__submitted_by")
                    .order_by("-campaign__year", "number"))
        self.filterset = AuditProjectFilterSet(self.request.GET or None, queryset=queryset, request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filterset"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context


class StepView(ProjectMixin, TemplateView):
    step = ""

    @property
    def page_label(self):
        return f"项目启动 · {dict((s, label) for s, label, _ in STEPS)[self.step]}"

    @property
    def editable(self) -> bool:
        start = self.get_start()
        return self.may_fill and start is not None and start.is_draft

    def get_template_names(self):
        if self.get_start() is None:
            return ["project_start/not_started.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        start = self.get_start()
        project = self.get_project()
        prev_step, next_step = neighbour(self.step, -1), neighbour(self.step, 1)
        context.update(
            start=start, step=self.step, editable=self.editable,
            steps=[(slug, label, step_url(slug, project.pk)) for slug, label, _ in STEPS],
            prev_step=prev_step, next_step=next_step,
            prev_url=step_url(prev_step, project.pk) if prev_step else "",
            next_url=step_url(next_step, project.pk) if next_step else "",
            draft_key=f"project-start-{project.pk}-{self.step}",
        )
        return context

    def check_post(self):
        """Only fillers post, and only to a draft (else 403, or back with the reason)."""
        self.require_fill()
        start = self.get_start()
        if not start.is_draft:
            messages.error(self.request, "项目启动已提交，不能再修改。")
            return redirect(step_url(self.step, start.pk))
        return None

    def go(self, action: str):
        target = neighbour(self.step, ACTIONS.get(action, 0)) or self.step
        return redirect(step_url(target, self.get_project().pk))


class BasicView(StepView):
    step = "basic"
    template_name = "project_start/basic.html"

    def get_form(self, data=None):
        return BasicForm(data, instance=self.get_start(), user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "form" not in context and self.editable:
            context["form"] = self.get_form()
        start = self.get_start()
        if start is not None and start.industry_id:
            context["industry_lineage"] = start.industry.lineage()
        return context

    def post(self, request, *args, **kwargs):
        refused = self.check_post()
        if refused:
            return refused
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                services.save_basic(request.user, self.get_start(), expected_version=form.cleaned_data["version"],
                                    **form.service_data())
            except ValidationError as exc:
                show_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "基本信息已保存。")
                return self.go(request.POST.get("action", "save"))
        return self.render_to_response(self.get_context_data(form=form))


class RowStepView(StepView):
    """Steps 2–5: the rows so far (each with 编辑 and 删除), and a form that adds one."""

    template_name = "project_start/rows.html"
    heading = ""
    add_label = ""

    @property
    def model(self):
        return services.STEP_ROWS[self.step]

    def get_form(self, data=None, files=None):
        return FORMS[self.step](data, files, start=self.get_start(), prefix="new")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        start = self.get_start()
        if start is None:
            return context
        if "form" not in context and self.editable:
            context["form"] = self.get_form()
        rows = list(self.model.objects.filter(project_id=start.pk).order_by("pk"))
        files = services.files_by_owner(rows) if self.model.evidence_slots else {}
        labels = services.output_labels(start) if self.step == "products" else {}
        fields = services.ROW_FIELDS[self.model]
        context.update(
            heading=self.heading, add_label=self.add_label, has_files=bool(self.model.evidence_slots),
            file_label=self.model.evidence_slots.get("file", ""),
            columns=[labels.get(name, str(self.model._meta.get_field(name).verbose_name)) for name in fields],
            rows=[{
                "row": row, "cells": row_cells(row, fields, labels), "files": files.get(row.pk, []),
                "gaps": services.row_gaps(row, files.get(row.pk, []) if self.model.evidence_slots else None, labels),
                "edit_url": reverse(f"project_start:{self.step}_edit", args=[row.pk]),
                "delete_url": reverse(f"project_start:{self.step}_delete", args=[row.pk]),
            } for row in rows],
        )
        return context

    def post(self, request, *args, **kwargs):
        refused = self.check_post()
        if refused:
            return refused
        action = request.POST.get("action", "save")
        form = self.get_form(request.POST, request.FILES)
        if form.is_empty():
            if action == "save":
                messages.info(request, "没有新填写的内容。")
            return self.go(action)
        if form.is_valid():
            try:
                row = services.add_row(request.user, self.model, self.get_project(), upload=form.upload(),
                                       **form.service_data())
            except ValidationError as exc:
                show_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"已添加{services.ROW_NOUNS[self.model]}“{row}”。")
                return self.go(action)
        return self.render_to_response(self.get_context_data(form=form))


class ProductsView(RowStepView):
    step = "products"
    heading = "产品信息"
    add_label = "添加产品"


class EiaView(RowStepView):
    step = "eia"
    heading = "环境影响评价批复"
    add_label = "添加环评批复"


class MonitoringView(RowStepView):
    step = "monitoring"
    heading = "监测报告"
    add_label = "添加监测报告"


class AcceptanceView(RowStepView):
    step = "acceptance"
    heading = "环保工程验收"
    add_label = "添加验收记录"


class SubmitView(StepView):
    """Step 6: what is still missing (each item linking to its step), then 提交 (the enterprise)."""

    step = "submit"
    template_name = "project_start/submit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        start = self.get_start()
        if start is None:
            return context
        project = self.get_project()
        items = services.missing(start) if start.is_draft else []
        context.update(
            missing=[(item, step_url(item.step, project.pk)) for item in items],
            counts=[(label, step_url(slug, project.pk), model.objects.filter(project_id=project.pk).count())
                    for slug, label, _ in STEPS if (model := services.STEP_ROWS.get(slug))],
            submit_errors=kwargs.get("submit_errors", []),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.may_submit:
            raise PermissionDenied(services.SUBMIT_REFUSED)
        start = self.get_start()
        version = request.POST.get("version", "")
        try:
            services.submit(request.user, start, expected_version=int(version) if version.isdigit() else None)
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(submit_errors=exc.messages))
        messages.success(request, "项目启动已提交。")
        return redirect(step_url("submit", start.pk))

