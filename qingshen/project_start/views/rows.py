"""Editing and deleting one row (a product, an EIA approval, a monitoring report, an acceptance,
a disclosure, a contract), and the project's 信息公布 and 审核合同 pages (list + add).

A row is found through `Model.objects.restrict(user)`: one of another enterprise (or of an
enterprise that did not delegate to this consultancy) is a 404. Editing is for fillers only; a
wizard row of a submitted start is read-only.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from qingshen.project_start import services
from qingshen.project_start.forms import FORMS
from qingshen.project_start.models import CHANGE_PERMISSION, ProjectStart
from qingshen.project_start.views.common import STEPS, ProjectMixin, row_cells, show_errors, step_url

MODELS = {**services.STEP_ROWS, **services.RECORDS}
STEP_LABELS = {slug: label for slug, label, _ in STEPS}
RECORD_PAGES = {
    "disclosures": ("信息公布", "添加信息公布记录",
                    "依法在当地主要媒体、企业官方网站或以其他便于公众知晓的方式公布本企业清洁生产审核的相关信息。"),
    "contracts": ("审核合同", "添加审核合同",
                  "委托咨询服务机构开展审核的，登记审核合同，并按要求将合同原件报送市生态环境局。"),
}


def back_url(kind: str, project_pk: int) -> str:
    """Where a row of this kind is listed: its wizard step, or its record page."""
    if kind in services.STEP_ROWS:
        return step_url(kind, project_pk)
    return reverse(f"project_start:{kind}", args=[project_pk])


class RowMixin(ProjectMixin):
    """`pk` is the row; the project is the row's."""

    permission_required = CHANGE_PERMISSION
    kind = ""

    @property
    def model(self):
        return MODELS[self.kind]

    def get_row(self):
        if not hasattr(self, "row"):
            self.row = get_object_or_404(self.model.objects.restrict(self.request.user), pk=self.kwargs["pk"])
        return self.row

    def project_pk(self):
        return self.get_row().project_id

    def frozen(self):
        """A wizard row of a submitted start: back to its step, saying why."""
        if self.model.in_wizard:
            start = ProjectStart.objects.filter(pk=self.get_row().project_id).first()
            if start is None or not start.is_draft:
                messages.error(self.request, "项目启动已提交，不能再修改。")
                return redirect(back_url(self.kind, self.get_row().project_id))
        return None


class RowEditView(RowMixin, TemplateView):
    template_name = "project_start/row_edit.html"

    @property
    def page_label(self):
        return f"修改{services.ROW_NOUNS[self.model]}"

    def get_breadcrumbs(self):
        crumbs = super().get_breadcrumbs()
        label = RECORD_PAGES[self.kind][0] if self.kind in RECORD_PAGES else f"项目启动 · {STEP_LABELS[self.kind]}"
        return [*crumbs[:-1], (label, back_url(self.kind, self.get_row().project_id)), crumbs[-1]]

    def get_form(self, data=None):
        start = ProjectStart.objects.filter(pk=self.get_row().project_id).select_related("project__campaign").first()
        return FORMS[self.kind](data, instance=self.get_row(), start=start, with_file=False, prefix="row")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        row = self.get_row()
        context.setdefault("form", self.get_form())
        context.update(row=row, kind=self.kind, back_url=back_url(self.kind, row.project_id),
                       file_label=self.model.evidence_slots.get("file", ""),
                       draft_key=f"project-start-{row.project_id}-{self.kind}-{row.pk}")
        return context

    def get(self, request, *args, **kwargs):
        return self.frozen() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        refused = self.frozen()
        if refused:
            return refused
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                row = services.update_row(request.user, self.get_row(), expected_version=form.cleaned_data["version"],
                                          **form.service_data())
            except ValidationError as exc:
                show_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"已保存{services.ROW_NOUNS[self.model]}“{row}”。")
                return redirect(back_url(self.kind, row.project_id))
        return self.render_to_response(self.get_context_data(form=form))


class RowDeleteView(RowMixin, View):
    def post(self, request, *args, **kwargs):
        row = self.get_row()
        back = back_url(self.kind, row.project_id)
        refused = self.frozen()
        if refused:
            return refused
        label = f"{services.ROW_NOUNS[self.model]}“{row}”"
        version = request.POST.get("version", "")
        try:
            services.delete_row(request.user, row, expected_version=int(version) if version.isdigit() else None)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"已删除{label}。")
        return redirect(back)


class RecordsView(ProjectMixin, TemplateView):
    """信息公布 or 审核合同 of one project: the records, and (for fillers) a form that adds one.
    They are the project's, not the wizard's: still open after the start is submitted."""

    template_name = "project_start/records.html"
    kind = ""

    @property
    def model(self):
        return services.RECORDS[self.kind]

    @property
    def page_label(self):
        return RECORD_PAGES[self.kind][0]

    def get_form(self, data=None, files=None):
        initial = {}
        if self.kind == "contracts":
            start = ProjectStart.objects.filter(pk=self.get_project().pk).first()
            if start is not None and start.consultancy_id:
                initial["consultancy"] = start.consultancy_id
        return FORMS[self.kind](data, files, initial=initial, prefix="new")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.get_project()
        if "form" not in context and self.may_fill:
            context["form"] = self.get_form()
        rows = list(self.model.objects.filter(project=project).select_related("consultancy")
                    if self.kind == "contracts" else self.model.objects.filter(project=project))
        files = services.files_by_owner(rows)
        fields = services.ROW_FIELDS[self.model]
        title, add_label, intro = RECORD_PAGES[self.kind]
        context.update(
            kind=self.kind, heading=title, add_label=add_label, intro=intro,
            file_label=self.model.evidence_slots["file"],
            columns=[str(self.model._meta.get_field(name).verbose_name) for name in fields],
            rows=[{
                "row": row, "cells": row_cells(row, fields, {}), "files": files.get(row.pk, []),
                "edit_url": reverse(f"project_start:{self.kind}_edit", args=[row.pk]),
                "delete_url": reverse(f"project_start:{self.kind}_delete", args=[row.pk]),
            } for row in rows],
            draft_key=f"project-start-{project.pk}-{self.kind}",
        )
        return context

    def post(self, request, *args, **kwargs):
        self.require_fill()
        form = self.get_form(request.POST, request.FILES)
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
                return redirect(reverse(f"project_start:{self.kind}", args=[row.project_id]))
        return self.render_to_response(self.get_context_data(form=form))
