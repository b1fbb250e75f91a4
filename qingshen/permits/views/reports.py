"""许可变更情况报送: the permit authority's own report (draft, submit, versions), reading one
version and its .xlsx, the receiving level's return, and the receiving level's page listing the
authorities below it."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from qingshen.campaigns.models import Milestone
from qingshen.campaigns.reporting import STATES, first_submissions, report_due, state_of
from qingshen.core.roles import Role
from qingshen.core.views import Breadcrumbs
from qingshen.organizations.models import Organization
from qingshen.permits import due as permit_due
from qingshen.permits import export, services
from qingshen.permits import lines as permit_lines
from qingshen.permits.forms import ReportForm, ReturnForm
from qingshen.permits.models import PermitReport
from qingshen.permits.views.base import add_errors, choose_campaign

VIEW = "permits.view_permitreport"


def report_state(report, milestones=None):
    """(due date, state) of an authority's report, judged by its first submission."""
    due = report_due(report.campaign, PermitReport.milestone_kind, report.organization, milestones=milestones)
    first = first_submissions(PermitReport, report.campaign).get(report.organization_id)
    return due, state_of(due, first, timezone.localdate())


class OwnReportView(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs, TemplateView):
    """The permit authority's report for the chosen campaign: the lines as they stand (a draft)
    or as frozen (submitted / returned), the note, save / submit, and the earlier versions."""

    permission_required = services.SUBMIT
    template_name = "permits/report_own.html"
    breadcrumbs = [("业务办理", None), ("许可变更情况报送", None)]

    def setup_report(self):
        self.campaigns, self.campaign = choose_campaign(self.request)
        self.organization = self.request.user.organization
        self.report = services.latest(self.campaign, self.organization) if self.campaign else None

    def get(self, request, *args, **kwargs):
        self.setup_report()
        report = self.report
        form = ReportForm(initial={"note": report.note if report else "", "version": report.version if report else 0})
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        self.setup_report()
        if self.campaign is None:
            messages.error(request, "请先选择清审批次。")
            return redirect("permits:report")
        form = ReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if request.POST.get("action") == "submit":
                    report = services.submit_report(request.user, self.campaign, note=data["note"],
                                                    expected_version=data["version"], lines_digest=data["digest"])
                    messages.success(request, f"已报送第 {report.version} 版排污许可证变更情况。")
                else:
                    report = services.save_draft(request.user, self.campaign, note=data["note"],
                                                 expected_version=data["version"])
                    messages.success(request, f"已保存第 {report.version} 版草稿。")
                return redirect(f"{reverse('permits:report')}?campaign={self.campaign.pk}")
            except (ValidationError, PermissionDenied) as exc:
                add_errors(form, exc)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, campaign, organization = self.report, self.campaign, self.organization
        live = report is None or report.status != PermitReport.Status.SUBMITTED
        lines, counts, digest = [], {}, ""
        if campaign is not None and live:
            lines, counts = permit_lines.for_organization(organization, campaign)
            digest = services.digest(lines)
            kwargs["form"].initial["digest"] = digest
            if kwargs["form"].is_bound:
                kwargs["form"].data = kwargs["form"].data.copy()
                kwargs["form"].data["digest"] = digest  # the lines shown now are the ones to confirm
        due = state = None
        if campaign is not None:
            due = report_due(campaign, PermitReport.milestone_kind, organization)
            first = first_submissions(PermitReport, campaign).get(organization.pk)
            state = state_of(due, first, timezone.localdate())
        versions = list(PermitReport.objects.filter(campaign=campaign, organization=organization)
                        .order_by("-version")) if campaign else []
        context.update(campaigns=self.campaigns, campaign=campaign, report=report, organization=organization,
                       live=live, live_snapshots=[line.snapshot() for line in lines], live_counts=counts, digest=digest, due=due, state=state,
                       state_label=STATES.get(state, ""), versions=versions,
                       receiver=services.receiver_label(organization),
                       frozen=[] if live else report.lines,
                       editable=campaign is not None and services.receiving_role(organization) is not None
                       and (report is None or report.status != PermitReport.Status.SUBMITTED))
        return context


class ReportDetailView(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs, TemplateView):
    """One version of a report, for the authority and the officials whose region it is in; the
    receiving level may return it from here."""

    permission_required = VIEW
    template_name = "permits/report_detail.html"

    def get_breadcrumbs(self):
        return [("业务办理", None), ("许可变更情况报送", None), (str(self.report), None)]

    def get(self, request, *args, **kwargs):
        self.report = get_object_or_404(PermitReport.objects.restrict(request.user)
                                        .select_related("organization__region", "campaign", "submitted_by",
                                                        "returned_by"), pk=kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        lines, counts = (report.lines, report.counts)
        if report.status == PermitReport.Status.DRAFT:
            live, counts = permit_lines.for_organization(report.organization, report.campaign)
            lines = [line.snapshot() for line in live]
        due, state = report_state(report)
        user = self.request.user
        receiver = services.receiving_role(report.organization)
        may_return = (user.has_perm(services.RETURN) and user.role == receiver
                      and report.status == PermitReport.Status.SUBMITTED
                      and (receiver != Role.CITY or user.organization.region_id == report.organization.region.city_code))
        versions = list(PermitReport.objects.filter(campaign=report.campaign, organization=report.organization)
                        .order_by("-version"))
        context.update(report=report, lines=lines, counts=counts, due=due, state_label=STATES[state],
                       versions=versions, may_return=may_return and versions[0].pk == report.pk,
                       return_form=kwargs.get("return_form") or ReturnForm(initial={"version": report.version}),
                       receiver=services.receiver_label(report.organization))
        return context


class ReportExportView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = VIEW

    def get(self, request, pk):
        report = get_object_or_404(PermitReport.objects.restrict(request.user)
                                   .select_related("organization__region", "campaign"), pk=pk)
        lines, counts = report.lines, report.counts
        if report.status == PermitReport.Status.DRAFT:
            live, counts = permit_lines.for_organization(report.organization, report.campaign)
            lines = [line.snapshot() for line in live]
        title = f"{report.organization.name} 排污许可证变更情况 第{report.version}版"
        notes = [f"{report.campaign.name}；状态：{report.get_status_display()}；"
                 f"共 {counts.get('total', 0)} 家，已变更 {counts.get('changed', 0)} 家，"
                 f"未变更 {counts.get('unchanged', 0)} 家；另有 {counts.get('unlisted', 0)} 家登记管理或未填管理类别"]
        if report.note:
            notes.append(f"情况说明：{report.note}")
        rows = [export.line_cells(index, line) for index, line in enumerate(lines, start=1)]
        return export.response(title, "变更情况", export.LINE_HEADER, rows, notes)


class ReturnView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = services.RETURN

    def post(self, request, pk):
        report = get_object_or_404(PermitReport.objects.restrict(request.user), pk=pk)
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                services.return_report(request.user, report, reason=form.cleaned_data["reason"],
                                       expected_version=form.cleaned_data["version"])
            except (ValidationError, PermissionDenied) as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"已退回{report.organization.name}的排污许可证变更情况。")
                return redirect("permits:report_detail", pk=report.pk)
        view = ReportDetailView(request=request, kwargs={"pk": pk}, args=())
        view.report = PermitReport.objects.select_related("organization__region", "campaign").get(pk=report.pk)
        response = view.render_to_response(view.get_context_data(return_form=form))
        response.status_code = 200
        return response


class ReceivedView(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs, TemplateView):
    """The receiving level's page: each permit authority below it with its latest report."""

    permission_required = services.RETURN
    template_name = "permits/received.html"
    breadcrumbs = [("统计分析", None), ("许可变更情况报送", None)]

    def authorities(self):
        """The city: its own city-level authority (read only: it reports to the province) and its
        counties'; the province: the cities'."""
        user = self.request.user
        region = user.organization.region if user.organization_id else None
        queryset = Organization.objects.restrict(user).filter(kind=Organization.Kind.PERMIT_AUTHORITY)
        if region is None:
            return queryset.none()
        if region.level == "province":
            return queryset.filter(region__level="city", province_code=region.code)
        return queryset.filter(city_code=region.code, region__level__in=("city", "county"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaigns, campaign = choose_campaign(self.request)
        rows = []
        if campaign is not None:
            milestones = list(Milestone.objects.filter(campaign=campaign).select_related("region"))
            user = self.request.user
            for item in permit_due.items(campaign, self.authorities().order_by("account_code"), milestones):
                item.may_return = (item.report is not None and item.report.status == PermitReport.Status.SUBMITTED
                                   and services.receiving_role(item.organization) == user.role)
                rows.append(item)
        counts = {state: sum(1 for r in rows if r.state == state) for state in STATES}
        context.update(campaigns=campaigns, campaign=campaign, rows=rows, counts=counts, states=STATES)
        return context
