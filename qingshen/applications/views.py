"""评估申请 / 验收申请 pages: a project's application per stage (form, what is missing, due date,
versions) and a submitted version as it was frozen.

Pages start from `AuditProject.objects.restrict(user)` / `Application.objects.restrict(user)`.
Officials read; the enterprise and its consultancy fill; only the enterprise submits.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import DetailView, FormView

from qingshen.applications import contents, readiness, services
from qingshen.applications.filters import ApplicationFilterSet
from qingshen.applications.forms import ApplicationForm
from qingshen.applications.models import Application, Stage
from qingshen.core.views import Breadcrumbs, ObjectListView
from qingshen.projects.models import AuditProject
from qingshen.reviews import services as reviews

VIEW = "applications.view_application"


def add_errors(form, exc):
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))


class ApplicationListView(ObjectListView):
    """评估、验收申请: the applications within the user's jurisdiction, newest first (an
    enterprise: its own, drafts included)."""

    model = Application
    permission_required = VIEW
    filterset_class = ApplicationFilterSet
    select_related = ("project__enterprise__region", "project__campaign", "submitted_by")
    template_name = "applications/list.html"
    breadcrumbs = [("业务办理", None), ("评估、验收申请", None)]

    def get_queryset(self):
        return super().get_queryset().order_by("-submitted_at", "-updated_at")


class StageView(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs, FormView):
    """One stage's application of a project: the draft's form, what is missing, the versions."""

    permission_required = VIEW
    form_class = ApplicationForm
    template_name = "applications/stage.html"

    @cached_property
    def project(self):
        queryset = AuditProject.objects.restrict(self.request.user).select_related("campaign", "enterprise__region")
        return get_object_or_404(queryset, pk=self.kwargs["project_pk"])

    @cached_property
    def stage(self):
        if self.kwargs["stage"] not in Stage.values:
            raise Http404
        return Stage(self.kwargs["stage"])

    @cached_property
    def draft(self):
        return services.current_draft(self.project, self.stage)

    def get_breadcrumbs(self):
        return [("业务办理", None), (self.project.number, self.project.get_absolute_url()), (f"{self.stage.label}申请", None)]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.draft or Application(project=self.project, stage=self.stage)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        due = readiness.due_date(self.project, self.stage)
        round_open, why = reviews.may_start_round(self.project, self.stage)
        context.update(
            project=self.project, stage=self.stage, draft=self.draft,
            missing=readiness.missing(self.project, self.stage), due=due,
            versions=Application.objects.filter(project=self.project, stage=self.stage,
                                                status=Application.Status.SUBMITTED).select_related("submitted_by",
                                                                                                    "review"),
            may_fill=user.has_perm("applications.change_application") and (self.draft is not None or round_open),
            round_closed=why,
            may_submit=user.has_perm("applications.submit_application"),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("applications.change_application"):
            raise PermissionDenied("您无权填写评估、验收申请。")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = {name: form.cleaned_data.get(name) for name in services.FORM_FIELDS}
        submitting = self.request.POST.get("action") == "submit"
        try:
            draft = services.save_draft(self.request.user, self.project, self.stage, data,
                                        version=form.cleaned_data.get("version"))
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        if not submitting:
            messages.success(self.request, f"已保存{draft.title}（第 {draft.number} 版，草稿）。")
            return redirect(self.request.path)
        try:
            submitted = services.submit(self.request.user, draft, version=draft.version,
                                        confirm_late=form.cleaned_data.get("confirm_late", False))
        except (ValidationError, PermissionDenied) as exc:
            self.__dict__.pop("draft", None)
            form.data = form.data.copy()
            form.data["version"] = draft.version  # the draft was saved: the next try starts from it
            add_errors(form, exc)
            messages.info(self.request, "申请表已保存为草稿。")
            return self.form_invalid(form)
        messages.success(self.request, f"已提交{submitted.title}（第 {submitted.number} 版）。")
        return redirect(submitted.get_absolute_url())


class ApplicationDetailView(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs, DetailView):
    """A version of an application; once submitted, exactly what was frozen."""

    permission_required = VIEW
    template_name = "applications/detail.html"
    context_object_name = "application"

    def get_queryset(self):
        return Application.objects.restrict(self.request.user).select_related(
            "project__enterprise__region", "project__campaign", "submitted_by")

    def get_breadcrumbs(self):
        project = self.object.project
        return [("业务办理", None), (project.number, project.get_absolute_url()), (str(self.object), None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        frozen = self.object.contents or {}
        context.update(counts=contents.counts(frozen), evidence=frozen.get("evidence", []),
                       options=contents.options_of(frozen), benchmarks=contents.benchmarks_of(frozen),
                       project=self.object.project)
        return context
