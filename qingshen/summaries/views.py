"""Pages of the summary reports.

- 工作总结 (index): the campaigns the official may see, with its own department's reports of
  each kind, and for the city and the province a link to what the level below sent;
- the department's own report of a campaign and kind (edit): the draft's text form with the
  live figures under it, 保存草稿 / 报送 (定稿 for the province); a submitted version shows
  read-only with its frozen figures and stored documents; earlier versions and their return
  reasons are listed;
- a report (detail): what the receiving level reads, with 退回 for it;
- PDF / .xlsx of a report: the stored documents of a submitted version, a draft's printed on
  request (marked 草稿);
- 工作总结报送情况 (received): per department below, its latest report, due date, first
  submission and state, with its documents and its submitted figures side by side.

Reports come from `SummaryReport.objects.restrict(user)`; a department's draft is its own
business, so other levels see only submitted (or returned) versions (`visible`).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import TemplateView

from qingshen.campaigns.models import Campaign, CampaignEnterprise
from qingshen.core.roles import OFFICIAL_ROLES
from qingshen.core.views import Breadcrumbs
from qingshen.files.views import serve
from qingshen.organizations.models import Organization
from qingshen.summaries import documents, due, services, tables
from qingshen.summaries import figures as figures_module
from qingshen.summaries.forms import ReturnForm, SummaryForm
from qingshen.summaries.models import TEXT_FIELDS, Kind, SummaryReport

MENU = ("统计分析", None)
INDEX = "工作总结"


def visible(user):
    """The reports a user may open: in its jurisdiction, and a draft only its own department's."""
    organization = services.author_of(user)
    own = Q(organization=organization) if organization is not None else Q(pk__in=[])
    return SummaryReport.objects.restrict(user).filter(own | ~Q(status=SummaryReport.Status.DRAFT))


def figures_of(report) -> dict:
    """Frozen figures of a submitted version; live ones for a draft (recomputed on each view)."""
    if report.figures is not None:
        return report.figures
    return figures_module.compute(report.campaign, report.organization.region, report.kind)


def figure_context(figures) -> dict:
    return tables.context(figures)


def _kind_or_404(kind) -> str:
    if kind not in Kind.values:
        raise Http404("未知的报告类型。")
    return kind


def _message(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or "您无权执行该操作。"


class OfficialMixin(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs):
    permission_required = services.VIEW

    def has_permission(self):
        return super().has_permission() and self.request.user.role in OFFICIAL_ROLES


class IndexView(OfficialMixin, TemplateView):
    template_name = "summaries/index.html"
    breadcrumbs = [MENU, (INDEX, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        campaigns = list(Campaign.objects.restrict(user).order_by("-year", "-created_at"))
        organization = services.author_of(user)
        mine = {}
        if organization is not None:
            for report in SummaryReport.objects.filter(organization=organization, campaign__in=campaigns).order_by(
                    "campaign_id", "kind", "-version"):
                mine.setdefault((report.campaign_id, report.kind), report)
        context.update(rows=[(campaign, [(kind, label, mine.get((campaign.pk, kind))) for kind, label in Kind.choices])
                             for campaign in campaigns],
                       can_write=services.can_write(user), receives=user.has_perm(services.RETURN))
        return context


class EditView(OfficialMixin, TemplateView):
    """The department's own report: draft form with live figures, or the submitted version."""

    template_name = "summaries/edit.html"
    permission_required = services.CHANGE

    def has_permission(self):
        return super().has_permission() and services.author_of(self.request.user) is not None

    def setup_objects(self):
        self.kind = _kind_or_404(self.kwargs["kind"])
        self.campaign = get_object_or_404(Campaign.objects.restrict(self.request.user), pk=self.kwargs["campaign_pk"])
        self.organization = services.author_of(self.request.user)
        self.versions = list(SummaryReport.objects.filter(campaign=self.campaign, organization=self.organization,
                                                          kind=self.kind).select_related("returned_by")
                             .order_by("-version"))
        self.report = self.versions[0] if self.versions else None

    def get_breadcrumbs(self):
        return [MENU, (INDEX, reverse("summaries:index")), (f"{self.campaign.name} · {Kind(self.kind).label}", None)]

    def get(self, request, *args, **kwargs):
        self.setup_objects()
        return self.render(self.initial_form())

    def initial_form(self):
        initial = {"stamp": services.stamp(self.report)}
        if self.report is not None:
            initial.update({name: getattr(self.report, name) for name, _ in TEXT_FIELDS})
        return SummaryForm(initial=initial)

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        form = SummaryForm(request.POST)
        if not form.is_valid():
            return self.render(form)
        texts = {name: form.cleaned_data[name] for name, _ in TEXT_FIELDS}
        submitting = request.POST.get("action") == "submit"
        try:
            report = services.save_draft(request.user, self.campaign, self.kind,
                                         stamp_seen=form.cleaned_data["stamp"], **texts)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _message(exc))
            return self.render(form)
        if submitting:
            try:
                report = services.submit(request.user, report, stamp_seen=services.stamp(report))
            except ValidationError as exc:
                # the text is saved (new stamp); the page comes back with what is missing beside its field
                data = request.POST.copy()
                data["stamp"] = services.stamp(report)
                form = SummaryForm(data)
                form.is_valid()
                if hasattr(exc, "error_dict"):
                    for name, errors in exc.error_dict.items():
                        for error in errors:
                            form.add_error(name if name in form.fields else None, error)
                else:
                    form.add_error(None, _message(exc))
                self.setup_objects()
                return self.render(form)
            except PermissionDenied as exc:
                form.add_error(None, _message(exc))
                return self.render(form)
            verb = "报送" if services.receiver_code(self.organization) else "定稿"
            messages.success(request, f"已{verb}{report}。")
        else:
            messages.success(request, f"已保存草稿：{report}。")
        return redirect("summaries:edit", self.campaign.pk, self.kind)

    def render(self, form):
        report = self.report
        editable = report is None or report.is_editable
        live = report is None or report.figures is None
        figures = (figures_module.compute(self.campaign, self.organization.region, self.kind) if live
                   else report.figures)
        returned = next((v for v in self.versions if v.status == SummaryReport.Status.RETURNED), None)
        context = self.get_context_data(
            form=form, report=report, editable=editable, campaign=self.campaign, kind=self.kind,
            kind_label=Kind(self.kind).label, organization=self.organization, versions=self.versions,
            last_returned=returned if editable else None, live=live,
            submit_label="报送" if services.receiver_code(self.organization) else "定稿",
            due_date=services_due(self.campaign, self.organization, self.kind),
            **figure_context(figures))
        return self.render_to_response(context)


def services_due(campaign, organization, kind):
    return due.items(campaign, [organization], kind)[0]


class DetailView(OfficialMixin, TemplateView):
    """A report as the receiving level (or its author) reads it, with 退回 for the receiver."""

    template_name = "summaries/detail.html"

    def get_report(self):
        return get_object_or_404(visible(self.request.user).select_related(
            "organization__region", "campaign", "submitted_by", "returned_by"), pk=self.kwargs["pk"])

    def get_breadcrumbs(self):
        return [MENU, (INDEX, reverse("summaries:index")), (str(self.report), None)]

    def get(self, request, *args, **kwargs):
        self.report = self.get_report()
        return self.render(ReturnForm())

    def render(self, return_form, status=200):
        report = self.report
        versions = list(visible(self.request.user).filter(
            campaign=report.campaign_id, organization=report.organization_id, kind=report.kind).order_by("-version"))
        context = self.get_context_data(
            report=report, return_form=return_form, versions=versions,
            can_return=services.can_return(self.request.user, report),
            own=report.organization_id == getattr(services.author_of(self.request.user), "pk", None),
            live=report.figures is None,
            **figure_context(figures_of(report)))
        return self.render_to_response(context, status=status)


class ReturnView(DetailView):
    permission_required = services.RETURN

    def get(self, request, *args, **kwargs):
        raise Http404

    def post(self, request, *args, **kwargs):
        self.report = self.get_report()
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                services.return_report(request.user, self.report, reason=form.cleaned_data["reason"])
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _message(exc))
            else:
                messages.success(request, f"已退回{self.report}，对方将修改后重新报送。")
                return redirect("summaries:detail", self.report.pk)
        self.report.refresh_from_db()
        return self.render(form)


class DocumentView(OfficialMixin, View):
    """The stored document of a submitted version, or a draft's printed now (marked 草稿)."""

    extension = "pdf"

    def get(self, request, pk):
        report = get_object_or_404(visible(request.user).select_related(
            "organization__region", "campaign", "pdf_file", "xlsx_file"), pk=pk)
        stored = report.pdf_file if self.extension == "pdf" else report.xlsx_file
        if stored is not None:
            return serve(stored, inline=False)
        draft = report.status == SummaryReport.Status.DRAFT
        render = documents.pdf if self.extension == "pdf" else documents.xlsx
        content = render(report, figures_of(report), draft=draft)
        mime = ("application/pdf" if self.extension == "pdf"
                else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response = HttpResponse(content, content_type=mime)
        response["Content-Disposition"] = content_disposition_header(
            True, documents.filename(report, self.extension, draft=draft))
        return response


class ReceivedView(OfficialMixin, TemplateView):
    """工作总结报送情况: the departments of the level below that have enterprises in the campaign."""

    template_name = "summaries/received.html"
    permission_required = services.RETURN

    def has_permission(self):
        return super().has_permission() and services.author_of(self.request.user) is not None

    def get_breadcrumbs(self):
        return [MENU, (INDEX, reverse("summaries:index")), ("工作总结报送情况", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        campaigns = list(Campaign.objects.restrict(user).order_by("-year", "-created_at"))
        wanted = self.request.GET.get("campaign", "")
        campaign = next((c for c in campaigns if str(c.pk) == wanted), campaigns[0] if campaigns else None)
        kind = self.request.GET.get("kind", Kind.WORK)
        kind = kind if kind in Kind.values else Kind.WORK
        items = []
        if campaign is not None:
            items = due.items(campaign, below(services.author_of(user), campaign), kind)
        context.update(campaigns=campaigns, campaign=campaign, kind=kind, kinds=Kind.choices, items=items,
                       side_by_side=[(item, _headline(item.report)) for item in items])
        return context


def below(organization, campaign):
    """The departments reporting to `organization` that have enterprises on the campaign's roster
    (two queries): county branches for a city (with the city itself where lines have no county,
    never), city bureaus for the province."""
    region = organization.region
    roster = CampaignEnterprise.objects.filter(campaign=campaign, status=CampaignEnterprise.Status.INCLUDED)
    if region.level == "province":
        codes = set(roster.filter(province_code=region.code).values_list("city_code", flat=True).distinct())
        kind = Organization.Kind.CITY_BUREAU
    elif region.level == "city":
        codes = set(roster.filter(city_code=region.code).exclude(county_code="")
                    .values_list("county_code", flat=True).distinct())
        kind = Organization.Kind.COUNTY_BRANCH
    else:
        return []
    return list(Organization.objects.filter(kind=kind, region_id__in=codes).select_related("region")
                .order_by("region_id"))


def _headline(report):
    """A few frozen totals of a submitted version, for the side-by-side table."""
    if report is None or report.figures is None:
        return None
    total = report.figures["total"]
    stages = total["stages"]
    options = total["options"]
    basis = tables.basis(report.figures)
    return {"roster": stages.get("roster", 0), "evaluation_passed": stages.get("evaluation_passed", 0),
            "acceptance_passed": stages.get("acceptance_passed"),
            "options": options["all"]["total"]["count"], "investment": options["all"]["total"]["investment"],
            "economic_benefit": options[basis]["total"]["economic_benefit"]}
