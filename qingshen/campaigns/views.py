"""清审批次 pages: the list, one campaign with its roster, the province's create/edit form and
its draft roster (add from the registry, remove a wrong one), and the calendar (时间节点)
where each level reads the dates that apply to it and sets its own."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView

from qingshen.campaigns import calendar, services
from qingshen.campaigns.filters import CampaignFilterSet, MemberFilterSet
from qingshen.campaigns.forms import AddMembersForm, CampaignForm, MilestoneForm
from qingshen.campaigns.models import Campaign, CampaignEnterprise, Milestone, MilestoneKind
from qingshen.core.views import ObjectDetailView, ObjectFormView, ObjectListView, ScopedViewMixin
from qingshen.enterprises.filters import EnterpriseFilterSet
from qingshen.enterprises.models import Enterprise

GROUP_CRUMB = ("任务管理", None)
LIST_CRUMB = ("清审批次", "/campaigns/")
MEMBERS_PER_PAGE = 50
#: Adding “every enterprise the search matches” stops here; narrow the search (e.g. by county).
BULK_LIMIT = 500


def apply_service_error(form, exc):
    """A service's ValidationError beside the fields it names (when the form has them all),
    else above the form; a PermissionDenied above the form."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or "您无权执行该操作。")
    elif hasattr(exc, "error_dict") and set(exc.error_dict) <= set(form.fields):
        form.add_error(None, exc)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def campaign_crumbs(campaign, *tail):
    return [GROUP_CRUMB, LIST_CRUMB, (campaign.name, campaign.get_absolute_url()), *tail]


class CampaignListView(ObjectListView):
    model = Campaign
    permission_required = "campaigns.view_campaign"
    filterset_class = CampaignFilterSet
    select_related = ("issuing_organization",)
    template_name = "campaigns/campaign_list.html"
    breadcrumbs = [GROUP_CRUMB, ("清审批次", None)]

    def get_queryset(self):
        # enterprises counted within the user's jurisdiction (a county sees its own count)
        mine = CampaignEnterprise.objects.restrict(self.request.user).values("pk")
        return super().get_queryset().annotate(
            member_count=Count("members", filter=Q(members__pk__in=mine)),
            province_count=Count("members", filter=Q(members__pk__in=mine, members__handling_level="province")),
        ).order_by("-year", "-created_at", "-pk")


class CampaignDetailView(ObjectDetailView):
    """The campaign as its notice states it, the dates that apply to the reader, and the
    roster within the reader's jurisdiction (filtered, paginated, constant queries)."""

    model = Campaign
    permission_required = "campaigns.view_campaign"
    select_related = ("issuing_organization",)
    template_name = "campaigns/campaign_detail.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("target_rules")

    def get_breadcrumbs(self):
        return [GROUP_CRUMB, LIST_CRUMB, (self.object.name, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, campaign = self.request.user, self.object
        members = (CampaignEnterprise.objects.restrict(user).filter(campaign=campaign)
                   .select_related("enterprise__region", "enterprise__industry", "proposed_by"))
        filterset = MemberFilterSet(self.request.GET or None, queryset=members, request=self.request)
        page = Paginator(filterset.qs, MEMBERS_PER_PAGE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        task = services.province_roster_task(campaign)
        roster_open = services.roster_is_open(campaign, task)
        context.update(
            filterset=filterset, page_obj=page, members=page.object_list, querystring=query.urlencode(),
            region=calendar.region_of(user), province_task=task, roster_open=roster_open,
            can_change=user.has_perm("campaigns.change_campaign"),
            can_build_roster=roster_open and user.has_perm("campaigns.change_campaign"),
            totals=members.aggregate(
                total=Count("pk"),
                province=Count("pk", filter=Q(handling_level="province")),
                city=Count("pk", filter=Q(handling_level="city")),
                excluded=Count("pk", filter=Q(status=CampaignEnterprise.Status.EXCLUDED)),
                proposed=Count("pk", filter=Q(status=CampaignEnterprise.Status.PROPOSED)),
            ),
        )
        if user.has_perm("audit_trail.view_event"):
            from qingshen.audit_trail.models import Event

            context["events"] = list(Event.objects.for_object(campaign).order_by("-seq")[:10])
        return context


class CampaignFormView(ObjectFormView):
    """新建清审批次 / 修改: the province, through the services; locked fields come disabled."""

    model = Campaign
    form_class = CampaignForm
    template_name = "campaigns/campaign_form.html"
    add_permission = "campaigns.add_campaign"
    change_permission = "campaigns.change_campaign"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["locked"] = services.locked_fields(self.object) if self.object else {}
        return kwargs

    def get_breadcrumbs(self):
        if self.object is None:
            return [GROUP_CRUMB, LIST_CRUMB, ("新建清审批次", None)]
        return campaign_crumbs(self.object, ("修改", None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["issuing_organization"] = (self.object.issuing_organization if self.object
                                           else self.request.user.organization)
        return context

    def save(self, form):
        data = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        if self.object is None:
            rules = data.pop("target_rules")
            return services.create_campaign(self.request.user, target_rules=rules, **data)
        return services.update_campaign(self.request.user, self.object,
                                        expected_version=form.cleaned_data.get("version"), **data)


class AddMembersView(ScopedViewMixin, FormView):
    """The province's draft roster: search the registry (name, USCC, county, industry…), tick
    enterprises — or take every match — choose reasons and handling level, add."""

    model = Campaign
    permission_required = "campaigns.change_campaign"
    form_class = AddMembersForm
    template_name = "campaigns/member_add.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.has_permission():
            return self.handle_no_permission()
        self.campaign = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs(self):
        return campaign_crumbs(self.campaign, ("添加企业", None))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def search(self, query: QueryDict):
        registry = Enterprise.objects.restrict(self.request.user).select_related("region", "industry").annotate(
            in_roster=Exists(CampaignEnterprise.objects.filter(campaign=self.campaign, enterprise=OuterRef("pk"))))
        return EnterpriseFilterSet(query or None, queryset=registry, request=self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        query = QueryDict(form.data.get("query", ""), mutable=True) if form.is_bound else self.request.GET.copy()
        query.pop("page", None)
        filterset = self.search(query)
        searched = any(v for k, v in query.items())
        page = Paginator(filterset.qs.order_by("region_id", "name"), 50).get_page(self.request.GET.get("page"))
        context.update(
            campaign=self.campaign, filterset=filterset, searched=searched, page_obj=page,
            results=page.object_list if searched else [], querystring=query.urlencode(),
            roster_open=services.roster_is_open(self.campaign), ticked=form.ticked(),
            match_count=page.paginator.count if searched else 0, bulk_limit=BULK_LIMIT,
        )
        return context

    def get_initial(self):
        return {"query": self.request.GET.urlencode()}

    def form_valid(self, form):
        data = form.cleaned_data
        query = QueryDict(data["query"] or "")
        if data["all_matching"]:
            if not any(v for k, v in query.items() if k != "page"):
                form.add_error(None, "请先输入查询条件，再加入全部符合条件的企业。")
                return self.form_invalid(form)
            matches = self.search(query).qs
            if matches.count() > BULK_LIMIT:
                form.add_error(None, f"符合条件的企业超过 {BULK_LIMIT} 家，请缩小查询范围（如按区县）后再添加。")
                return self.form_invalid(form)
            enterprises = list(matches.order_by("region_id", "name"))
        else:
            enterprises = list(data["enterprises"].order_by("region_id", "name"))
        try:
            added, skipped = services.add_members(self.request.user, self.campaign, enterprises,
                                                  reasons=data["reasons"], handling_level=data["handling_level"])
        except (ValidationError, PermissionDenied) as exc:
            apply_service_error(form, exc)
            return self.form_invalid(form)
        if added:
            messages.success(self.request, f"已将 {len(added)} 家企业加入名单。")
        if skipped:
            names = "、".join(e.name for e in skipped[:5])
            messages.info(self.request, f"{len(skipped)} 家企业已在名单中，未重复添加：{names}"
                                        f"{'等' if len(skipped) > 5 else ''}。")
        url = reverse("campaigns:add_members", args=[self.campaign.pk])
        return redirect(f"{url}?{query.urlencode()}" if query else url)


class RemoveMemberView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """移出名单 (草稿 only)."""

    permission_required = "campaigns.change_campaign"

    def post(self, request, pk, member_pk):
        member = get_object_or_404(CampaignEnterprise.objects.restrict(request.user).select_related("enterprise"),
                                   pk=member_pk, campaign_id=pk)
        try:
            services.remove_member(request.user, member)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, f"已将 {member.enterprise.name} 移出名单。")
        return redirect(reverse("campaigns:detail", args=[pk]) + "#members")


class CalendarView(ScopedViewMixin, FormView):
    """时间节点: the dates that apply in the reader's region, the province's full calendar,
    each level's own entries, and (for a department) the form to set or tighten its own."""

    model = Campaign
    permission_required = "campaigns.view_campaign"
    form_class = MilestoneForm
    template_name = "campaigns/calendar.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not self.has_permission():
            return self.handle_no_permission()
        self.campaign = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    @property
    def level(self) -> str:
        organization = self.request.user.organization
        return organization.region.level if organization is not None and organization.region_id else ""

    def can_set(self) -> bool:
        user = self.request.user
        return user.has_perm("campaigns.add_milestone") and user.is_official and bool(self.level)

    def post(self, request, *args, **kwargs):
        if not self.can_set():
            raise PermissionDenied("您无权设定时间节点。")
        return super().post(request, *args, **kwargs)

    def get_breadcrumbs(self):
        return campaign_crumbs(self.campaign, ("时间节点", None))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["level"] = self.level
        return kwargs

    def get_initial(self):
        """“修改” beside an own entry comes back here with ?kind=…&id=… to prefill the form."""
        kind, entry_id = self.request.GET.get("kind"), self.request.GET.get("id", "")
        own = Milestone.objects.filter(campaign=self.campaign, region_id=getattr(self.region, "code", None))
        entry = own.filter(pk=int(entry_id)).first() if entry_id.isdigit() else None
        if entry is None and kind in MilestoneKind.values and kind != MilestoneKind.EXTRA:
            entry = own.filter(kind=kind).first()
        if entry is None:
            return {"kind": kind} if kind in MilestoneKind.values else {}
        return {"kind": entry.kind, "label": entry.label, "party": entry.party, "due_date": entry.due_date,
                "days_after_publication": entry.days_after_publication, "document_number": entry.document_number}

    @property
    def region(self):
        if not hasattr(self, "_region"):
            self._region = calendar.region_of(self.request.user)
        return self._region

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = list(Milestone.objects.restrict(self.request.user).filter(campaign=self.campaign)
                       .select_related("region"))
        order = {kind: index for index, kind in enumerate(MilestoneKind.values)}
        visible.sort(key=lambda m: (m.region_id, order[m.kind], m.due_date or date.max))
        province_code = self.region.province_code if self.region else ""
        levels = {}
        for milestone in visible:
            if milestone.region_id != province_code:
                levels.setdefault(milestone.region, []).append(milestone)
        context.update(
            campaign=self.campaign, region=self.region, can_set=self.can_set(),
            province_entries=[m for m in visible if m.region_id == province_code],
            level_entries=sorted(levels.items(), key=lambda item: item[0].code),
            own_code=self.region.code if self.region else "",
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        kind = data["kind"]
        try:
            milestone = services.set_milestone(
                self.request.user, self.campaign, kind=kind, due_date=data.get("due_date"),
                days_after_publication=data.get("days_after_publication") if not data.get("due_date") else None,
                label=(data.get("label") or "").strip(), party=data.get("party") or "",
                document_number=(data.get("document_number") or "").strip(),
            )
        except (ValidationError, PermissionDenied) as exc:
            apply_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已设定时间节点：{milestone.title}。")
        return redirect("campaigns:calendar", pk=self.campaign.pk)


class CurrentCalendarView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The menu's 时间节点: the calendar of the latest campaign the user sees."""

    permission_required = "campaigns.view_campaign"

    def get(self, request):
        campaign = Campaign.objects.restrict(request.user).first()
        if campaign is None:
            messages.info(request, "还没有清审批次。")
            return redirect("campaigns:list")
        return redirect("campaigns:calendar", pk=campaign.pk)
