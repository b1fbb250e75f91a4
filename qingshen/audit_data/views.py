"""The audit data pages: a project's 审核数据 index, one page per table (its rows with the
computed columns and totals, and for those who fill it an add form), a balance's page with its
lines, and the edit and delete of any row.

Reading needs `filings.view_phasefiling` (officials above the enterprise, the enterprise, its
consultancy); adding, editing and deleting `filings.change_phasefiling` (the enterprise and its
consultancy), so officials see the same pages read-only. Projects and rows come from
`restrict(user)`: another enterprise's row is a 404. Edits open in place of the row (htmx) or on
a page of their own; a refused save shows the form again with everything typed kept.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from qingshen.audit_data import services
from qingshen.audit_data.calculations import balance_deviation_limit
from qingshen.audit_data.forms import BalanceLineForm
from qingshen.audit_data.models import Balance, BalanceLine
from qingshen.audit_data.specs import SUMMARIES, TABLES, spec_of
from qingshen.core.roles import Role
from qingshen.core.views import Breadcrumbs
from qingshen.projects.models import AuditProject

READ, FILL = services.READ, services.FILL
#: The add form's element ids, apart from those of a row being edited on the same page.
ADD_ID = "add_%s"


def add_errors(form, exc):
    """A service's refusal on the form: beside the field it is about, else on top."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    elif isinstance(exc, ValidationError):
        for message in exc.messages:
            form.add_error(None, message)
    else:
        form.add_error(None, str(exc) or "您无权执行该操作。")


def project_crumbs(user, project):
    """The trail down to a project's 审核数据, as the enterprise or an official knows it."""
    project_url = reverse("projects:detail", args=[project.pk])
    if user.role in (Role.ENTERPRISE, Role.CONSULTANCY):
        head = [("接受清审任务", reverse("projects:tasks")), (f"项目 {project.number}", project_url)]
    else:
        head = [("任务管理", None), ("清审项目", reverse("projects:list")),
                (f"{project.number} {project.enterprise.name}", project_url)]
    return [*head, ("审核数据", reverse("audit_data:index", args=[project.pk]))]


def _version(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class DataMixin(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs):
    """Reading with READ; any POST with FILL. Subclasses find `self.project`."""

    permission_required = READ

    def get_permission_required(self):
        return [FILL if self.request.method == "POST" else READ]

    def project_queryset(self):
        return AuditProject.objects.restrict(self.request.user).select_related("enterprise__region", "campaign")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(project=self.project, can_edit=user.has_perm(FILL),
                       show_history=user.has_perm("audit_trail.view_event"),
                       deviation_limit=balance_deviation_limit())
        return context


class ProjectDataMixin(DataMixin):
    """A page about one project (the address carries project_pk)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.project = get_object_or_404(self.project_queryset(), pk=kwargs["project_pk"])
        return super().dispatch(request, *args, **kwargs)


class IndexView(ProjectDataMixin, TemplateView):
    """审核数据: every table of the project with its number of rows."""

    template_name = "audit_data/index.html"

    def get_breadcrumbs(self):
        return project_crumbs(self.request.user, self.project)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tables"] = [(spec, spec.count(self.project), spec.url(self.project)) for spec in TABLES]
        return context


class TablePageView(ProjectDataMixin, TemplateView):
    """One table of a project: its rows and, for those who fill it, the add form (POST)."""

    template_name = "audit_data/table.html"
    spec = None

    def get_breadcrumbs(self):
        return [*project_crumbs(self.request.user, self.project), (self.spec.label, None)]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(self.spec.queryset(self.project))
        if self.spec.kind:
            for row in rows:
                row.computed = row.result(row.lines.all())
        summary = SUMMARIES.get(self.spec.code)
        if form is None and context["can_edit"]:
            form = self.spec.form(auto_id=ADD_ID)
        context.update(spec=self.spec, rows=rows, form=form, summary=summary(rows) if summary else None,
                       add_url=self.spec.url(self.project))
        return context

    def post(self, request, *args, **kwargs):
        form = self.spec.form(request.POST, auto_id=ADD_ID)
        if form.is_valid():
            try:
                row = services.add_row(request.user, self.project, self.spec.model, **form.values())
            except (ValidationError, PermissionDenied) as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"已添加：{row}")
                return redirect(row.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class BalanceView(DataMixin, TemplateView):
    """One balance: its inputs and outputs, the totals and the deviation; add a line (POST)."""

    template_name = "audit_data/balance.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.balance = get_object_or_404(
                Balance.objects.restrict(request.user).select_related("project__enterprise__region",
                                                                      "project__campaign"),
                pk=kwargs["pk"])
            self.project = self.balance.project
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs(self):
        spec = spec_of(self.balance)
        return [*project_crumbs(self.request.user, self.project), (spec.label, spec.url(self.project)),
                (self.balance.name, None)]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        lines = list(self.balance.lines.order_by("direction", "pk"))
        if form is None and context["can_edit"]:
            form = BalanceLineForm(auto_id=ADD_ID)
        groups = [((direction.value, direction.label), [line for line in lines if line.direction == direction])
                  for direction in BalanceLine.Direction]
        context.update(balance=self.balance, lines=lines, groups=groups, result=self.balance.result(lines),
                       form=form, spec=spec_of(self.balance), line_spec=LINE_SPEC)
        return context

    def post(self, request, *args, **kwargs):
        form = BalanceLineForm(request.POST, auto_id=ADD_ID)
        if form.is_valid():
            try:
                line = services.add_line(request.user, self.balance, **form.values())
            except (ValidationError, PermissionDenied) as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"已添加{line.get_direction_display()}项目：{line.item}")
                return redirect(line.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


# --- editing and deleting one row ----------------------------------------------------------------


class LineSpec:
    """How the edit/delete views treat a balance's line (its table is the balance's page)."""

    model = BalanceLine
    form_class = BalanceLineForm
    label = "平衡项目"
    colspan = 5
    kind = ""
    edit_url_name = "audit_data:line_edit"
    delete_url_name = "audit_data:line_delete"

    def form(self, *args, **kwargs):
        return BalanceLineForm(*args, **kwargs)


LINE_SPEC = LineSpec()


class RowMixin(DataMixin):
    """One row of any table, found within the user's jurisdiction; only those who fill may
    open its edit form or delete it."""

    model = None  # set per URL

    def get_permission_required(self):
        return [FILL]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            related = ("balance__project__enterprise__region", "balance__project__campaign") \
                if self.model is BalanceLine else ("project__enterprise__region", "project__campaign")
            self.row = get_object_or_404(self.model.objects.restrict(request.user).select_related(*related),
                                         pk=kwargs["pk"])
            self.project = self.row.project
            self.spec = LINE_SPEC if self.model is BalanceLine else spec_of(self.row)
        return super().dispatch(request, *args, **kwargs)

    def back_url(self):
        if isinstance(self.row, BalanceLine):
            return reverse("audit_data:balance", args=[self.row.balance_id])
        return self.spec.url(self.project)

    def update(self, form):
        version = form.cleaned_data.get("version")
        if isinstance(self.row, BalanceLine):
            return services.update_line(self.request.user, self.row, expected_version=version, **form.values())
        return services.update_row(self.request.user, self.row, expected_version=version, **form.values())

    def delete(self, version):
        if isinstance(self.row, BalanceLine):
            services.delete_line(self.request.user, self.row, expected_version=version)
        else:
            services.delete_row(self.request.user, self.row, expected_version=version)


class RowEditView(RowMixin, TemplateView):
    """修改: the form in place of the row (htmx) or on its own page."""

    template_name = "audit_data/row_form.html"

    def get_breadcrumbs(self):
        return [*project_crumbs(self.request.user, self.project), (self.spec.label, self.back_url()),
                (f"修改：{self.row}", None)]

    def respond(self, form):
        context = {"form": form, "row": self.row, "spec": self.spec, "action_url": self.request.path,
                   "back_url": self.back_url()}
        if self.request.htmx:
            return TemplateResponse(self.request, "audit_data/_row_form.html", context)
        return self.render_to_response(self.get_context_data(**context))

    def get(self, request, *args, **kwargs):
        return self.respond(self.spec.form(instance=self.row, auto_id=f"row{self.row.pk}_%s"))

    def post(self, request, *args, **kwargs):
        form = self.spec.form(request.POST, instance=self.row, auto_id=f"row{self.row.pk}_%s")
        if form.is_valid():
            try:
                row = self.update(form)
            except (ValidationError, PermissionDenied) as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"已保存：{row}")
                if request.htmx:  # reload the table: totals and computed columns change too
                    return HttpResponse(status=204, headers={"HX-Refresh": "true"})
                return redirect(row.get_absolute_url())
        return self.respond(form)


class RowDeleteView(RowMixin, View):
    """删除 (POST, with the version the page showed)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        shown = str(self.row)
        try:
            self.delete(_version(request.POST.get("version")))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"已删除：{shown}")
        return redirect(self.back_url())


def table_views():
    """(spec, page view) for every table, for urls.py."""
    for spec in TABLES:
        yield spec, TablePageView.as_view(spec=spec)


def row_views(model):
    return RowEditView.as_view(model=model), RowDeleteView.as_view(model=model)

