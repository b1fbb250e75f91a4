"""企业清单: each enterprise of the task's roster and what a level may do to it (keep, mark 否 with
evidence, correct facts, add a missing enterprise). Each enterprise is one <tbody>, which the
htmx actions replace."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from qingshen.campaigns.models import CampaignEnterprise
from qingshen.enterprises.models import Enterprise
from qingshen.regions.models import Region
from qingshen.rosters import services
from qingshen.rosters.filters import MemberFilterSet
from qingshen.rosters.forms import CorrectForm, ExcludeForm, ProposeForm
from qingshen.rosters.models import RosterDecision, may_act
from qingshen.rosters.services import message_of
from qingshen.rosters.views.base import FormStepMixin, GROUP_CRUMB, LIST_CRUMB, Status, TaskMixin, add_errors


# --- 企业清单 ------------------------------------------------------------------------------------


def member_queryset(task):
    decisions = RosterDecision.objects.select_related("task__organization", "decided_by").prefetch_related(
        "evidence").order_by("-decided_at", "-pk")
    return (
        task.members().select_related("enterprise__region", "enterprise__industry", "proposed_by")
        .prefetch_related(Prefetch("decisions", queryset=decisions))
        .order_by("seq", "pk")
    )


class MemberRows:
    """What each row of the 企业清单 may offer, computed once for the page (no query per row)."""

    def __init__(self, task, user):
        self.task = task
        self.editable = may_act(task, user) and task.is_editable
        self.lower = {child.organization.region_id: child
                      for child in task.children.select_related("organization")}

    def decorate(self, member):
        codes = [c for c in (member.city_code, member.county_code) if c and c != self.task.organization.region_id]
        lower = next((self.lower[c] for c in codes if c in self.lower), None)
        member.lower_task = lower
        member.locked_by_lower = lower is not None and lower.status != Status.APPROVED
        member.actionable = self.editable and not member.locked_by_lower
        member.recent_decisions = list(member.decisions.all())
        return member


class MembersStepView(TaskMixin, TemplateView):
    """企业清单: every enterprise of the level, each with what was decided about it."""

    step = "members"
    template_name = "rosters/step_members.html"
    paginate_by = 100

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task = self.task
        counties = list(Region.objects.filter(parent_id=task.organization.region_id).order_by("code")
                        .values_list("code", "name")) if task.level == "city" else []
        filterset = MemberFilterSet(self.request.GET or None, queryset=member_queryset(task), counties=counties)
        page = Paginator(filterset.qs, self.paginate_by).get_page(self.request.GET.get("page"))
        rows = MemberRows(task, self.request.user)
        members = [rows.decorate(m) for m in page.object_list]
        totals = dict(task.members().values_list("status").annotate(n=Count("pk")))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update({
            "filterset": filterset,
            "members": members, "page_obj": page, "querystring": query.urlencode(),
            "totals": [(label, totals.get(value, 0)) for value, label in CampaignEnterprise.Status.choices],
            "total": sum(totals.values()),
        })
        return context


class MemberActionMixin(TaskMixin):
    """One enterprise of the list. htmx requests get its <tbody> back; plain ones a page or a redirect."""

    action_label = ""

    def get_member(self):
        member = member_queryset(self.task).filter(pk=self.kwargs["member_pk"]).first()
        if member is None:
            raise Http404("该企业不在本任务的名单中。")
        return MemberRows(self.task, self.request.user).decorate(member)

    def row_response(self, member, **extra):
        from django.template.loader import render_to_string

        context = {"task": self.task, "m": member, "can_edit": self.can_edit, "request": self.request, **extra}
        return HttpResponse(render_to_string("rosters/_member.html", context, request=self.request))

    def back_to_list(self, member):
        return redirect(f"{reverse('rosters:members', args=[self.task.pk])}#member-{member.pk}")

    def get_breadcrumbs(self):
        return [GROUP_CRUMB, LIST_CRUMB, ("企业清单", reverse("rosters:members", args=[self.task.pk])),
                (self.action_label, None)]


class MemberFormView(MemberActionMixin, TemplateView):
    """标注“否” and 修正: a form beside the row (htmx) or on its own page."""

    template_name = "rosters/member_form.html"
    form_class = None
    form_kind = ""

    def get_form(self, member, data=None, files=None):
        return self.form_class(data, files, task=self.task)

    def respond(self, member, form, status=200):
        if self.request.htmx:
            return self.row_response(member, form=form, form_kind=self.form_kind)
        context = self.get_context_data(form=form, m=member, form_kind=self.form_kind)
        return self.render_to_response(context, status=status)

    def get(self, request, *args, **kwargs):
        member = self.get_member()
        if not member.actionable:
            return self.refuse(member)
        return self.respond(member, self.get_form(member))

    def refuse(self, member):
        if member.locked_by_lower:
            message = (f"{member.lower_task.organization.name}正在核定该企业（其任务"
                       f"{member.lower_task.get_status_display()}），待其提交并经本级审核通过后才能在本级修改。")
        elif not self.is_own:
            message = "只有本级生态环境部门可以核定本级名单。"
        else:
            message = f"任务{self.task.get_status_display()}，不能再修改名单。"
        if self.request.htmx:
            return self.row_response(member, row_error=message)
        messages.error(self.request, message)
        return self.back_to_list(member)

    def post(self, request, *args, **kwargs):
        member = self.get_member()
        form = self.get_form(member, request.POST, request.FILES)
        if form.is_valid():
            try:
                self.act(member, form)
            except (ValidationError, PermissionDenied) as exc:
                add_errors(form, exc)
            else:
                member = self.get_member()
                message = self.done_message(member)
                if request.htmx:
                    return self.row_response(member, row_message=message)
                messages.success(request, message)
                return self.back_to_list(member)
        return self.respond(member, form)


class ExcludeView(MemberFormView):
    action_label = "标注“否”"
    form_class = ExcludeForm
    form_kind = "exclude"

    def act(self, member, form):
        services.exclude(self.request.user, self.task, member, reason=form.cleaned_data["reason"],
                         evidence=form.cleaned_data["evidence"],
                         expected_status=form.cleaned_data["expected_status"])

    def done_message(self, member):
        return f"已将 {member.enterprise.name} 标注为“否”。"


class CorrectView(MemberFormView):
    action_label = "修正信息"
    form_class = CorrectForm
    form_kind = "correct"

    def get_form(self, member, data=None, files=None):
        return CorrectForm(data, task=self.task, enterprise=member.enterprise)

    def act(self, member, form):
        services.correct_facts(self.request.user, self.task, member, form.changes(),
                               expected_status=form.cleaned_data["expected_status"],
                               expected_version=form.cleaned_data.get("version"))

    def done_message(self, member):
        return f"已修正 {member.enterprise.name} 的信息。"


class MemberRowView(MemberActionMixin, View):
    """One enterprise's row (htmx: its <tbody>, e.g. when a form beside it is cancelled)."""

    def get(self, request, *args, **kwargs):
        member = self.get_member()
        if request.htmx:
            return self.row_response(member)
        return self.back_to_list(member)


class KeepView(MemberActionMixin, View):
    """恢复纳入 (or confirm 信息无误): POST only."""

    action_label = "保留"

    def post(self, request, *args, **kwargs):
        member = self.get_member()
        try:
            services.keep(request.user, self.task, member, expected_status=request.POST.get("expected_status"))
        except (ValidationError, PermissionDenied) as exc:
            if request.htmx:
                return self.row_response(member, row_error=message_of(exc))
            messages.error(request, message_of(exc))
            return self.back_to_list(member)
        member = self.get_member()
        message = f"已保留 {member.enterprise.name}。"
        if request.htmx:
            return self.row_response(member, row_message=message)
        messages.success(request, message)
        return self.back_to_list(member)


class ProposeView(FormStepMixin, TemplateView):
    """增补: a missing enterprise, from the registry or registered here with its USCC."""

    step = "members"
    template_name = "rosters/propose.html"
    form_class = ProposeForm
    results_limit = 20

    def get_breadcrumbs(self):
        return [GROUP_CRUMB, LIST_CRUMB, ("企业清单", reverse("rosters:members", args=[self.task.pk])),
                ("增补企业", None)]

    def query(self, data=None):
        return ((data or self.request.GET).get("q") or "").strip()

    def candidates(self, q):
        on_roster = CampaignEnterprise.objects.filter(campaign_id=self.task.campaign_id).values("enterprise_id")
        queryset = Enterprise.objects.restrict(self.request.user).exclude(pk__in=on_roster).select_related("region")
        if not q:
            return queryset.none()
        return queryset.filter(Q(name__contains=q) | Q(uscc__startswith=q.upper())).order_by("name")

    def get_form(self, data=None, files=None):
        q = self.query(data)
        form = ProposeForm(data, task=self.task, user=self.request.user, candidates=self.candidates(q),
                           initial={"q": q})
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        q = self.query(self.request.POST if self.request.method == "POST" else None)
        context["q"] = q
        context["results"] = list(form.fields["enterprise"].queryset[: self.results_limit]) if q else []
        return context

    def get(self, request, *args, **kwargs):
        if not self.can_edit:
            messages.error(request, "只有本级生态环境部门可以在任务待确认、已下发或已退回时增补企业。")
            return redirect("rosters:members", pk=self.task.pk)
        return super().get(request, *args, **kwargs)

    def act(self, form):
        data = form.cleaned_data
        if data["source"] == "registry":
            kwargs = {"enterprise": data["enterprise"]}
        else:
            kwargs = {"new_enterprise": form.new_enterprise()}
        member = services.propose(self.request.user, self.task, reasons=data["reasons"],
                                  handling_level=data["handling_level"], reason=data["reason"],
                                  expected_status=data["expected_status"], **kwargs)
        if member.status == CampaignEnterprise.Status.PROPOSED:
            messages.success(self.request, f"已增补 {member.enterprise.name}，待上级审核通过后纳入名单（增补待审）。")
        else:
            messages.success(self.request, f"已将 {member.enterprise.name} 增补至名单。")
        return redirect(f"{reverse('rosters:members', args=[self.task.pk])}#member-{member.pk}")
