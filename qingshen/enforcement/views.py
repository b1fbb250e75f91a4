"""执法移交清单 pages (officials): the list of one campaign by category, its .xlsx, each roster
line's 企业审核履历, and the hand-overs to the enforcement department (record, list, detail,
file). Every row comes from `restrict(user)`: a county sees only its county's lines, and the
history page or hand-over of another place is 404.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from qingshen.campaigns.models import Campaign, CampaignEnterprise
from qingshen.core.roles import OFFICIAL_ROLES
from qingshen.core.views import Breadcrumbs
from qingshen.enforcement import export, history, lists, services
from qingshen.enforcement.forms import HandoverForm
from qingshen.enforcement.models import ALL, CATEGORY_CHOICES, EnforcementHandover
from qingshen.files.views import serve

VIEW = "enforcement.view_enforcementlist"
ADD = "enforcement.add_enforcementhandover"
CRUMB = ("统计分析", None)
TABS = dict(CATEGORY_CHOICES)


class OfficialMixin(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs):
    permission_required = VIEW

    def has_permission(self):
        return super().has_permission() and self.request.user.role in OFFICIAL_ROLES


class CampaignMixin(OfficialMixin):
    def campaigns(self):
        return list(Campaign.objects.restrict(self.request.user).order_by("-year", "-created_at"))

    def campaign(self, campaigns=None):
        """?campaign= among those the user may see (404 otherwise); by default the latest."""
        campaigns = self.campaigns() if campaigns is None else campaigns
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        wanted = source.get("campaign")
        if wanted:
            chosen = next((c for c in campaigns if str(c.pk) == wanted), None)
            if chosen is None:
                raise Http404("清审批次不存在。")
            return chosen
        if not campaigns:
            raise Http404("还没有清审批次。")
        return campaigns[0]

    def category(self) -> str:
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        value = source.get("category") or ALL
        if value not in TABS:
            raise Http404("移交类别不存在。")
        return value


class ListPage(CampaignMixin, TemplateView):
    template_name = "enforcement/list.html"
    breadcrumbs = [CRUMB, ("执法移交清单", None)]
    per_page = 100

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaigns = self.campaigns()
        context["campaigns"] = campaigns
        if not campaigns:
            return context
        campaign, category = self.campaign(campaigns), self.category()
        user = self.request.user
        page = Paginator(lists.Paged(user, campaign, category), self.per_page).get_page(self.request.GET.get("page"))
        counts = lists.count(user, campaign)
        query = urlencode({"campaign": campaign.pk, "category": category})
        context.update(
            campaign=campaign, category=category, page_obj=page, rows=[(line, line.as_dict()) for line in page],
            tabs=[(key, label, counts[key]) for key, label in TABS.items()], querystring=query,
            handover_url=f"{reverse('enforcement:handover_create')}?{query}",
            can_hand_over=self.request.user.has_perm(ADD),
            reviews_handover=(f"{reverse('reviews:handover')}?campaign={campaign.pk}"
                              if self.request.user.has_perm("reviews.view_handover") else ""),
            handovers=EnforcementHandover.objects.restrict(self.request.user).filter(campaign=campaign).count())
        return context


class ExportView(CampaignMixin, View):
    """Starts the export of the chosen category as .xlsx (汇总 + a sheet per category + 企业审核履历)
    as a background job, and shows its progress."""

    def post(self, request):
        from qingshen.jobs.services import start_job

        campaign, category = self.campaign(), self.category()  # refused now (404), not in the worker
        job = start_job(request.user, kind=export.EXPORT_KIND, title=f"导出执法移交清单（{TABS[category]}）",
                        params={"campaign": campaign.pk, "category": category})
        return redirect(job.get_absolute_url())


class HistoryView(OfficialMixin, DetailView):
    """企业审核履历 of one roster line (404 outside the jurisdiction)."""

    template_name = "enforcement/history.html"
    context_object_name = "member"

    def get_queryset(self):
        return CampaignEnterprise.objects.restrict(self.request.user).select_related(
            "campaign", "enterprise__region", "letter", "project")

    def get_breadcrumbs(self):
        back = f"{reverse('enforcement:list')}?campaign={self.object.campaign_id}"
        return [CRUMB, ("执法移交清单", back), (f"{self.object.enterprise.name} · 企业审核履历", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member = self.object
        found = lists.lines(self.request.user, member.campaign, member_pk=member.pk)
        context.update(line=found[0] if found else None, entries=history.timeline(self.request.user, member),
                       kinds=history.KINDS)
        return context


class HandoverCreateView(CampaignMixin, FormView):
    """移交执法部门: the form, with how many enterprises the chosen list holds now."""

    permission_required = ADD
    template_name = "enforcement/handover_form.html"
    form_class = HandoverForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.the_campaign = self.campaign()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"category": self.category()}

    def get_breadcrumbs(self):
        back = f"{reverse('enforcement:list')}?campaign={self.the_campaign.pk}"
        return [CRUMB, ("执法移交清单", back), ("移交执法部门", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = lists.counts(lists.lines(self.request.user, self.the_campaign))
        context.update(campaign=self.the_campaign, counts=[(key, label, counts[key]) for key, label in TABS.items()])
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            handover, created = services.record_handover(
                self.request.user, self.the_campaign, category=data["category"], recipient=data["recipient"],
                handed_on=data["handed_on"], note=data["note"], form_token=data["form_token"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
            return self.form_invalid(form)
        if created:
            messages.success(self.request, f"已登记向{handover.recipient}移交 {handover.line_count} 家企业的清单，"
                                           f"移交时的清单和 Excel 已保存。")
        else:
            messages.info(self.request, "该移交已登记过（重复提交），未重复登记。")
        return redirect(handover.get_absolute_url())


class HandoverQuerysetMixin(OfficialMixin):
    def get_queryset(self):
        return EnforcementHandover.objects.restrict(self.request.user).select_related(
            "campaign", "organization", "workbook", "created_by")


class HandoverListView(HandoverQuerysetMixin, ListView):
    """移交记录: the hand-overs of the jurisdiction, newest first (?campaign= narrows)."""

    template_name = "enforcement/handover_list.html"
    paginate_by = 50
    breadcrumbs = [CRUMB, ("执法移交清单", reverse_lazy("enforcement:list")), ("移交记录", None)]

    def get_queryset(self):
        queryset = super().get_queryset().defer("lines")
        wanted = self.request.GET.get("campaign")
        if wanted and wanted.isdigit():
            queryset = queryset.filter(campaign_id=int(wanted))
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        wanted = self.request.GET.get("campaign")
        context["querystring"] = urlencode({"campaign": wanted}) if wanted else ""
        return context


class HandoverDetailView(HandoverQuerysetMixin, DetailView):
    template_name = "enforcement/handover_detail.html"
    context_object_name = "handover"

    def get_breadcrumbs(self):
        return [CRUMB, ("执法移交清单", reverse("enforcement:list")), ("移交记录", reverse("enforcement:handovers")),
                (f"移交{self.object.recipient}（{self.object.handed_on:%Y-%m-%d}）", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(columns=lists.COLUMNS, rows=[(row, [lists.cell(row, key) for key, _ in lists.COLUMNS])
                                                    for row in self.object.lines])
        return context


class HandoverFileView(HandoverQuerysetMixin, View):
    def get(self, request, pk):
        handover = get_object_or_404(self.get_queryset(), pk=pk)
        return serve(handover.workbook, inline=False)

