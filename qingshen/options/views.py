"""Pages of the option ledger (方案台账), the feasibility analysis of a 中高费 option and the
officials' roll-up (方案汇总).

Every page starts from `restrict(user)` (of AuditProject or Option), so a project or option
outside the user's jurisdiction is a 404. Reading needs `options.view_option` (officials above
the enterprise, the enterprise, its consultancy); changing needs `options.change_option` (the
enterprise and its consultancy), checked again by the services.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from qingshen.campaigns.models import Campaign
from qingshen.core.roles import OFFICIAL_ROLES, Role
from qingshen.core.views import Breadcrumbs, ObjectDetailView, ObjectFormView, ScopedViewMixin
from qingshen.options import services, totals
from qingshen.options.filters import OptionFilterSet
from qingshen.options.forms import FeasibilityForm, OptionForm
from qingshen.options.models import Feasibility, Option
from qingshen.projects.models import AuditProject

VIEW = "options.view_option"
CHANGE = services.PERMISSION
ENTERPRISE_SIDE = frozenset({Role.ENTERPRISE, Role.CONSULTANCY})
LEDGER = "方案台账"


def project_crumbs(user, project) -> list:
    """The trail down to a project: the enterprise's inbox, or the officials' project list."""
    if user.role in ENTERPRISE_SIDE:
        return [("接受清审任务", reverse("projects:tasks")), (f"项目 {project.number}", project.get_absolute_url())]
    return [("任务管理", None), ("清审项目", reverse("projects:list")),
            (f"{project.number} {project.enterprise.name}", project.get_absolute_url())]


def ledger_crumbs(user, project) -> list:
    return [*project_crumbs(user, project), (LEDGER, reverse("options:ledger", args=[project.pk]))]


def _form_errors(form, exc: ValidationError):
    """A service's ValidationError on the form: beside its field when it names one of the form's."""
    if hasattr(exc, "error_dict") and set(exc.error_dict) <= set(form.fields):
        form.add_error(None, exc)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# --- 方案台账 -----------------------------------------------------------------------------------


class OptionIndexView(ScopedViewMixin, ListView):
    """方案台账 from the menu: the projects the user may see, with their option counts; an
    enterprise (or consultancy) with a single project goes straight to its ledger."""

    model = AuditProject
    permission_required = VIEW
    template_name = "options/option_index.html"
    paginate_by = 50
    breadcrumbs = [(LEDGER, None)]

    def get_queryset(self):
        return (AuditProject.objects.restrict(self.request.user).select_related("enterprise__region", "campaign")
                .annotate(option_count=Count("options"),
                          high_count=Count("options", filter=Q(options__cost_class=Option.CostClass.HIGH)),
                          implemented_count=Count("options", filter=Q(options__status=Option.Status.IMPLEMENTED)))
                .order_by("-accepted_at", "pk"))

    def get(self, request, *args, **kwargs):
        if request.user.role in ENTERPRISE_SIDE:
            projects = list(self.get_queryset().values_list("pk", flat=True)[:2])
            if len(projects) == 1:
                return redirect("options:ledger", projects[0])
        return super().get(request, *args, **kwargs)


class ProjectMixin:
    """The project named by `project_pk`, among those the user may see."""

    def get_project(self):
        if not hasattr(self, "project"):
            self.project = get_object_or_404(
                AuditProject.objects.restrict(self.request.user).select_related("enterprise__region", "campaign"),
                pk=self.kwargs["project_pk"])
        return self.project


class LedgerView(ProjectMixin, ScopedViewMixin, ListView):
    """The project's options, filtered by class, status and phase, with the totals by class."""

    model = Option
    permission_required = VIEW
    template_name = "options/option_ledger.html"
    paginate_by = 100

    def get_queryset(self):
        project = self.get_project()
        queryset = Option.objects.restrict(self.request.user).filter(project=project).select_related("feasibility")
        self.filterset = OptionFilterSet(self.request.GET or None, queryset=queryset, request=self.request)
        return self.filterset.qs

    def get_breadcrumbs(self):
        return [*project_crumbs(self.request.user, self.project), (LEDGER, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(project=self.project, filterset=self.filterset, querystring=query.urlencode(),
                       totals=totals.project_totals(self.project),
                       can_edit=services.can_edit(self.request.user, self.project))
        return context


class OptionDetailView(ObjectDetailView):
    model = Option
    permission_required = VIEW
    select_related = ("project__enterprise__region", "project__campaign", "feasibility")
    template_name = "options/option_detail.html"
    context_object_name = "option"

    def get_breadcrumbs(self):
        return [*ledger_crumbs(self.request.user, self.object.project), (str(self.object), None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        option = self.object
        context.update(project=option.project, feasibility=_feasibility_of(option),
                       can_edit=services.can_edit(self.request.user, option.project))
        return context


def _feasibility_of(option):
    try:
        return option.feasibility
    except Feasibility.DoesNotExist:
        return None


class OptionFormView(ObjectFormView):
    """登记方案 (`project_pk`) or 修改 (`pk`). Bad input is shown beside its field with
    everything typed kept; a stale page is refused on top."""

    model = Option
    form_class = OptionForm
    template_name = "options/option_form.html"
    add_permission = CHANGE
    change_permission = CHANGE
    select_related = ("project__enterprise__region", "project__campaign")
    success_message = "已保存方案：{object}"

    def get_project(self):
        if self.object is not None:
            return self.object.project
        if not hasattr(self, "project"):
            self.project = get_object_or_404(
                AuditProject.objects.restrict(self.request.user).select_related("enterprise__region", "campaign"),
                pk=self.kwargs["project_pk"])
        return self.project

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.object is None:
            kwargs["suggested_code"] = services.suggest_code(self.get_project())
        return kwargs

    def get_breadcrumbs(self):
        project = self.get_project()
        if self.object is None:
            return [*ledger_crumbs(self.request.user, project), ("登记方案", None)]
        return [*ledger_crumbs(self.request.user, project), (str(self.object), self.object.get_absolute_url()),
                ("修改", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["project"] = self.get_project()
        return context

    def save(self, form):
        data = {name: form.cleaned_data[name] for name in services.FIELDS}
        if self.object is None:
            return services.create_option(self.request.user, self.get_project(), **data)
        return services.update_option(self.request.user, self.object,
                                      expected_version=form.cleaned_data.get("version"), **data)


class OptionDeleteView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = CHANGE

    def post(self, request, pk):
        option = get_object_or_404(Option.objects.restrict(request.user).select_related("project"), pk=pk)
        try:
            services.delete_option(request.user, option, expected_version=_int(request.POST.get("version")))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _message(exc))
            return redirect(option.get_absolute_url())
        messages.success(request, f"已删除方案 {option}。")
        return redirect("options:ledger", option.project_id)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _message(exc) -> str:
    if isinstance(exc, ValidationError):
        return exc.messages[0]
    return str(exc) or "您无权执行该操作。"


# --- 可行性分析 ---------------------------------------------------------------------------------


class FeasibilityView(ScopedViewMixin, FormView):
    """The feasibility of a 中高费 option: its inputs (a form for the enterprise side), the
    computed indicators with the decision rules, and the per-year cash-flow table."""

    model = Option
    permission_required = VIEW
    select_related = ("project__enterprise__region", "project__campaign")
    template_name = "options/feasibility.html"
    form_class = FeasibilityForm

    def get_option(self):
        if not hasattr(self, "option"):
            self.option = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
            self.saved = Feasibility.objects.filter(option=self.option).first()
        return self.option

    def get(self, request, *args, **kwargs):
        option = self.get_option()
        if not option.is_high_cost:
            messages.info(request, "无低费方案无需进行可行性分析。")
            return redirect(option.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(CHANGE):
            raise PermissionDenied("您无权修改可行性分析。")
        self.get_option()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        option = self.get_option()
        # A fresh instance: the form writes what was typed onto it, the saved row stays as saved.
        instance = Feasibility.objects.get(pk=self.saved.pk) if self.saved else Feasibility(
            option=option, investment=option.investment, annual_savings=option.economic_benefit)
        kwargs["instance"] = instance
        return kwargs

    def get_breadcrumbs(self):
        option = self.get_option()
        return [*ledger_crumbs(self.request.user, option.project), (str(option), option.get_absolute_url()),
                ("可行性分析", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        option = self.get_option()
        context.update(option=option, project=option.project, feasibility=self.saved,
                       result=self.saved.compute() if self.saved else None,
                       can_edit=services.can_edit(self.request.user, option.project))
        return context

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in services.FEASIBILITY_FIELDS}
        try:
            feasibility = services.save_feasibility(self.request.user, self.option,
                                                    expected_version=form.cleaned_data.get("version"), **data)
        except ValidationError as exc:
            _form_errors(form, exc)
            return self.form_invalid(form)
        except PermissionDenied as exc:
            form.add_error(None, _message(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"已保存可行性分析：{services.verdict(feasibility)}。")
        return redirect("options:feasibility", self.option.pk)


class FeasibilityDeleteView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = CHANGE

    def post(self, request, pk):
        option = get_object_or_404(Option.objects.restrict(request.user), pk=pk)
        try:
            services.delete_feasibility(request.user, option, expected_version=_int(request.POST.get("version")))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _message(exc))
            return redirect("options:feasibility", option.pk)
        messages.success(request, f"已删除方案 {option} 的可行性分析。")
        return redirect(option.get_absolute_url())


# --- 方案汇总 -----------------------------------------------------------------------------------


class SummaryView(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs, TemplateView):
    """方案汇总 for officials: per county of the jurisdiction, the options by class with their
    investment and benefits, optionally for one campaign."""

    permission_required = VIEW
    template_name = "options/summary.html"
    breadcrumbs = [("统计分析", None), ("方案汇总", None)]

    def has_permission(self):
        return super().has_permission() and self.request.user.role in OFFICIAL_ROLES

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaigns = list(Campaign.objects.restrict(self.request.user).order_by("-year", "-created_at"))
        wanted = self.request.GET.get("campaign", "")
        campaign = next((c for c in campaigns if str(c.pk) == wanted), None)
        context.update(campaigns=campaigns, campaign=campaign, rollup=totals.rollup(self.request.user, campaign),
                       scope=totals.scope_label(self.request.user), metrics=totals.METRICS)
        return context
