"""排污许可证变更: the roster lines whose permit must carry the audit deadline, their change and
due state (list, .xlsx), the form the permit authority records or corrects a change with, and
the permit page files."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from qingshen.campaigns.models import CampaignEnterprise, Milestone
from qingshen.core.views import Breadcrumbs
from qingshen.files.views import serve
from qingshen.permits import export, services
from qingshen.permits import lines as permit_lines
from qingshen.permits.forms import ChangeForm
from qingshen.permits.models import LISTED_CATEGORIES, PermitChange
from qingshen.permits.views.base import add_errors, choose_campaign

VIEW = "permits.view_permitchange"


class ChangeListMixin(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs):
    permission_required = VIEW

    def collect(self):
        campaigns, campaign = choose_campaign(self.request)
        wanted = self.request.GET.get("state", "")
        wanted = wanted if wanted in permit_lines.FILTERS else ""
        lines, counts = permit_lines.for_user(self.request.user, campaign) if campaign else ([], {})
        shown = [line for line in lines if not wanted or line.matches(wanted)]
        return campaigns, campaign, wanted, shown, counts


class ChangeListView(ChangeListMixin, TemplateView):
    template_name = "permits/change_list.html"
    breadcrumbs = [("业务办理", None), ("排污许可证变更", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaigns, campaign, wanted, shown, counts = self.collect()
        context.update(campaigns=campaigns, campaign=campaign, state=wanted, lines=shown, counts=counts,
                       filters=permit_lines.FILTERS, querystring=self.request.GET.urlencode(),
                       may_record=self.request.user.has_perm(services.CHANGE))
        return context


class ChangeExportView(ChangeListMixin, View):
    def get(self, request):
        _, campaign, wanted, shown, counts = self.collect()
        title = f"{campaign.name if campaign else ''} 排污许可证变更情况"
        notes = [f"共 {counts.get('total', 0)} 家（重点管理、简化管理），已变更 {counts.get('changed', 0)} 家；"
                 f"另有 {counts.get('unlisted', 0)} 家登记管理或未填管理类别"]
        if wanted:
            notes.append(f"筛选：{permit_lines.FILTERS[wanted]}")
        rows = [export.line_cells(index, line) for index, line in enumerate(shown, start=1)]
        return export.response(title, "许可证变更", export.LINE_HEADER, rows, notes)


class RecordView(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs, FormView):
    """Record or correct the change of one roster line's permit (the URL's pk is the line)."""

    permission_required = services.CHANGE
    template_name = "permits/change_form.html"
    form_class = ChangeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(self.permission_required):
            queryset = (CampaignEnterprise.objects.restrict(request.user)
                        .filter(status=CampaignEnterprise.Status.INCLUDED,
                                enterprise__permit_category__in=LISTED_CATEGORIES)
                        .select_related("enterprise__region", "campaign", "permit_change__file"))
            self.member = get_object_or_404(queryset, pk=kwargs["pk"])
            self.change = getattr(self.member, "permit_change", None)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs(self):
        return [("业务办理", None), ("排污许可证变更", self.list_url()), (self.member.enterprise.name, None)]

    def list_url(self):
        return f"{reverse('permits:list')}?campaign={self.member.campaign_id}"

    def get_initial(self):
        change, enterprise = self.change, self.member.enterprise
        if change is not None:
            return {"changed_on": change.changed_on, "permit_number": change.permit_number,
                    "requirement": change.requirement, "note": change.note, "version": change.version}
        return {"permit_number": enterprise.permit_number, "version": 0,
                "requirement": services.default_requirement(self.member.campaign, enterprise.region)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        milestones = list(Milestone.objects.filter(campaign=self.member.campaign).select_related("region"))
        [line] = permit_lines.build(self.member.campaign, CampaignEnterprise.objects.filter(pk=self.member.pk),
                                    milestones)
        context.update(member=self.member, enterprise=self.member.enterprise, change=self.change,
                       line=line, list_url=self.list_url(),
                       versions=list(self.change.versions.select_related("file", "recorded_by"))
                       if self.change else [])
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            change = services.record_change(
                self.request.user, self.member, changed_on=data["changed_on"], permit_number=data["permit_number"],
                requirement=data["requirement"], upload=data["file"], note=data["note"],
                expected_version=data["version"])
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        verb = "登记" if change.version == 1 else f"更正（第 {change.version} 版）"
        messages.success(self.request, f"已{verb}“{self.member.enterprise.name}”的排污许可证变更。")
        return redirect(self.list_url())


class ChangeFileView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The changed permit's page (current, or ?version=n for an earlier one)."""

    permission_required = VIEW

    def get(self, request, pk):
        change = get_object_or_404(PermitChange.objects.restrict(request.user), pk=pk)
        wanted = request.GET.get("version")
        if not wanted:
            return serve(change.file)
        if not wanted.isdigit():
            raise Http404
        return serve(get_object_or_404(change.versions.select_related("file"), version=int(wanted)).file)
