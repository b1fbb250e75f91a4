"""激活账号, 接受清审任务, the audit project's page and 任务统计.

Every page about rows builds its queryset from `restrict(user)` (through the core base views
or directly), so an enterprise sees only its own tasks, a consultancy those of the
enterprises that delegated to it, an official those in its jurisdiction.
"""

import io

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from qingshen.campaigns.models import Campaign, CampaignEnterprise
from qingshen.core.roles import Role
from qingshen.core.views import Breadcrumbs, ObjectDetailView, ObjectListView, ScopedViewMixin
from qingshen.files.views import serve
from qingshen.projects import activation, services, statistics
from qingshen.projects.filters import AuditProjectFilterSet
from qingshen.projects.forms import AcceptForm, ActivationForm
from qingshen.projects.models import AuditProject

TASKS_CRUMB = ("接受清审任务", "/projects/tasks/")
MANAGEMENT_CRUMB = ("任务管理", None)
PROJECTS_CRUMB = ("清审项目", "/projects/")
STATISTICS_CRUMB = ("任务统计", "/projects/statistics/")
LOGIN_BACKEND = "qingshen.accounts.backends.RoleBackend"


# --- 激活账号 (public) -------------------------------------------------------------------------


class ActivateView(Breadcrumbs, FormView):
    """Account + activation code + new password twice; then signed in, on to 接受清审任务."""

    template_name = "projects/activate.html"
    form_class = ActivationForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            account = activation.activate(data["username"], data["code"], data["new_password1"])
        except activation.ActivationRefused as exc:
            if exc.messages[0] == activation.ALREADY_ACTIVE and self.request.user.is_authenticated \
                    and self.request.user.username == data["username"].strip():
                # A second click after the first one went through.
                messages.info(self.request, "账号已激活。")
                return redirect("projects:tasks")
            form.add_error(None, exc.messages[0])
            return self.form_invalid(form)
        except ValidationError as exc:  # the password validators
            form.add_error("new_password1", exc)
            return self.form_invalid(form)
        login(self.request, account, backend=LOGIN_BACKEND)
        messages.success(self.request, "账号已激活，请牢记新设置的密码。请查看并接受清审任务。")
        return redirect("projects:tasks")


# --- 接受清审任务 (the enterprise, and the consultancy it delegated to, reading) ----------------


class EnterpriseSideMixin(ScopedViewMixin):
    """The enterprise's own inbox: the enterprise and its consultancy; nobody else."""

    model = CampaignEnterprise
    permission_required = "projects.view_auditproject"
    roles = frozenset({Role.ENTERPRISE, Role.CONSULTANCY})

    def has_permission(self):
        return super().has_permission() and self.request.user.role in self.roles

    def get_queryset(self):
        """The campaigns whose letter to this enterprise has been dispatched."""
        return (CampaignEnterprise.objects.restrict(self.request.user)
                .filter(letter__dispatched_at__isnull=False)
                .select_related("campaign", "enterprise__region", "letter__task__organization", "project"))


class TaskListView(EnterpriseSideMixin, ListView):
    template_name = "projects/task_list.html"
    breadcrumbs = [("接受清审任务", None)]
    paginate_by = 50

    def get_queryset(self):
        return super().get_queryset().order_by("-letter__dispatched_at", "pk")


class TaskDetailView(EnterpriseSideMixin, FormView):
    """详情: the task and every level's requirements, the letter, the dates, and 【确认】."""

    template_name = "projects/task_detail.html"
    form_class = AcceptForm

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and request.user.is_authenticated and not request.user.has_perm(
                "projects.add_auditproject"):
            raise PermissionDenied("只有企业本身可以接受清审任务。")
        return super().dispatch(request, *args, **kwargs)

    def get_member(self):
        if not hasattr(self, "member"):
            self.member = get_object_or_404(
                self.get_queryset().select_related(
                    "letter__task__parent__organization", "letter__task__parent__parent__organization"),
                pk=self.kwargs["pk"])
        return self.member

    def get_breadcrumbs(self):
        return [TASKS_CRUMB, (self.get_member().campaign.name, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member = self.get_member()
        tasks = member.letter.task.chain()
        prefetch_related_objects(tasks, "attachments")
        context.update(
            member=member, campaign=member.campaign, enterprise=member.enterprise, letter=member.letter,
            tasks=tasks, project=getattr(member, "project", None),
            target_rules=list(member.campaign.target_rules.all()),
            can_accept=self.request.user.has_perm("projects.add_auditproject"),
            letter_downloadable=letter_downloadable(self.request.user, member.letter),
        )
        return context

    def get(self, request, *args, **kwargs):
        self.get_member()
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        member = self.get_member()
        try:
            project = services.accept(self.request.user, member, **form.cleaned_data)
        except ValidationError as exc:
            existing = AuditProject.objects.filter(member=member).first()
            if existing is not None:  # a second click, or another user of the enterprise was first
                messages.warning(self.request, exc.messages[0])
                return redirect(existing.get_absolute_url())
            if hasattr(exc, "error_dict"):
                form.add_error(None, exc)
            else:
                for message in exc.messages:
                    form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, f"已接受清审任务，项目编号 {project.number}。")
        return redirect(project.get_absolute_url())


def letter_downloadable(user, letter) -> bool:
    """A letter (and its stamped scan) shows the account's activation code. While that code is
    still unused, only the enterprise itself gets the file, never its consultancy."""
    live_code = bool(letter.activation_code_hash) and letter.activated_at is None
    return not live_code or user.role == Role.ENTERPRISE


class LetterFileView(EnterpriseSideMixin, View):
    """The enterprise's own letter: the original PDF, or the stamped copy the county uploaded."""

    def get(self, request, pk, kind):
        member = get_object_or_404(self.get_queryset(), pk=pk)
        letter = member.letter
        stored = letter.pdf if kind == "original" else letter.stamped_copy
        if stored is None or not letter_downloadable(request.user, letter):
            raise Http404
        return serve(stored, inline=False)


class NoticeFileView(EnterpriseSideMixin, View):
    """A notice file (通知文件) attached by any level of the task chain above the enterprise."""

    def get(self, request, pk, file_pk):
        member = get_object_or_404(self.get_queryset(), pk=pk)
        for task in member.letter.task.chain():
            stored = task.attachments.filter(pk=file_pk).first()
            if stored is not None:
                return serve(stored, inline=False)
        raise Http404


# --- the audit project -------------------------------------------------------------------------


class ProjectListView(ObjectListView):
    model = AuditProject
    permission_required = "projects.view_auditproject"
    filterset_class = AuditProjectFilterSet
    select_related = ("enterprise__region", "campaign", "accepted_by")
    template_name = "projects/project_list.html"
    breadcrumbs = [MANAGEMENT_CRUMB, ("清审项目", None)]


class ProjectDetailView(ObjectDetailView):
    model = AuditProject
    permission_required = "projects.view_auditproject"
    select_related = ("enterprise__region", "campaign", "accepted_by", "member")
    template_name = "projects/project_detail.html"
    context_object_name = "project"

    def get_breadcrumbs(self):
        if self.request.user.role in EnterpriseSideMixin.roles:
            return [TASKS_CRUMB, (self.object.campaign.name, reverse("projects:task", args=[self.object.member_id])),
                    (f"项目 {self.object.number}", None)]
        return [MANAGEMENT_CRUMB, PROJECTS_CRUMB, (f"{self.object.number} {self.object.enterprise.name}", None)]


# --- 任务统计 -----------------------------------------------------------------------------------


class StatisticsMixin(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs):
    permission_required = "notices.view_noticetask"

    def get_campaign(self):
        return get_object_or_404(Campaign.objects.restrict(self.request.user), pk=self.kwargs["pk"])


class StatisticsIndexView(StatisticsMixin, TemplateView):
    """Every campaign, with its totals for the user's jurisdiction."""

    template_name = "projects/statistics_index.html"
    breadcrumbs = [MANAGEMENT_CRUMB, ("任务统计", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaigns = list(Campaign.objects.restrict(self.request.user).order_by("-year", "-created_at"))
        context["tables"] = statistics.tables(self.request.user, campaigns)
        context["statuses"] = statistics.STATUSES
        return context


class StatisticsView(StatisticsMixin, TemplateView):
    """One campaign: a row per county (per city for the province); each number links to its list."""

    template_name = "projects/statistics_table.html"

    def get_breadcrumbs(self):
        return [MANAGEMENT_CRUMB, STATISTICS_CRUMB, (self.campaign.name, None)]

    def get_context_data(self, **kwargs):
        self.campaign = self.get_campaign()
        context = super().get_context_data(**kwargs)
        context["table"] = statistics.table(self.request.user, self.campaign)
        context["statuses"] = statistics.STATUSES
        context["campaign"] = self.campaign
        return context


class StatisticsEnterprisesView(StatisticsMixin, ListView):
    """The enterprises behind one number: ?status=accepted&region=130681."""

    template_name = "projects/statistics_enterprises.html"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        self.campaign = self.get_campaign()
        self.status = statistics.STATUS_BY_KEY.get(request.GET.get("status") or "roster")
        if self.status is None:
            raise Http404
        code = request.GET.get("region", "")
        self.region = statistics.region_in_jurisdiction(request.user, code) if code else None
        if code and self.region is None:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return statistics.enterprises(self.request.user, self.campaign, self.status, self.region)

    def get_breadcrumbs(self):
        where = self.region.name if self.region else "全部"
        return [MANAGEMENT_CRUMB, STATISTICS_CRUMB,
                (self.campaign.name, reverse("projects:statistics_campaign", args=[self.campaign.pk])),
                (f"{where} · {self.status.label}", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(campaign=self.campaign, status=self.status, region=self.region,
                       statuses=statistics.STATUSES)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context


class StatisticsExportView(StatisticsMixin, View):
    """The table as .xlsx (a few dozen rows at most: made at once, no background job)."""

    def get(self, request, pk):
        campaign = self.get_campaign()
        table = statistics.table(request.user, campaign)
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "任务统计"
        sheet.append([f"{campaign.name}（{campaign.document_number}）任务统计"])
        sheet.append([f"统计范围：{jurisdiction_name(request.user)}　导出时间：{timezone.localtime():%Y-%m-%d %H:%M}"])
        sheet.append(["区划代码", table.group_label, *(status.label for status in statistics.STATUSES)])
        for row in [*table.rows, table.total]:
            sheet.append([row.region_code, row.region_name, *(count for _, count in row.cells())])
        for cell in (sheet["A1"], *sheet[3]):
            cell.font = Font(bold=True)
        for index in range(1, len(statistics.STATUSES) + 3):
            sheet.column_dimensions[get_column_letter(index)].width = 16
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = content_disposition_header(True, f"任务统计-{campaign.code}.xlsx")
        return response


def jurisdiction_name(user) -> str:
    organization = user.organization
    if organization is None or organization.region is None:
        return "全省"
    return organization.region.name

