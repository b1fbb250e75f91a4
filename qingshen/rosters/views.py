"""名单核定任务: the list, and each task as the seed's step pages.

    省级任务信息 → 市级任务信息 → 企业清单 → 下发任务 → 区县任务情况 → 提交任务   (a city)
    市级任务信息 → 企业清单 → 提交任务                                           (a county)
    省级任务信息 → 企业清单 → 下发任务 → 市级任务情况                             (the province)

Every page finds its task through `RosterTask.objects.restrict(user)` (another department's
task does not exist for the user: 404). Reading needs rosters.view_rostertask; a department's
own steps rosters.verify_roster; approving or returning a lower level rosters.review_roster —
and the services check the rest (whose task it is, and whether its status allows the step).

Every action is a plain form post that redirects on success and shows the page again with
the typed values and the service's Chinese message on error. The 企业清单's per-row actions
also work through htmx: each enterprise is one <tbody>, which the action replaces.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.paginator import Paginator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, Prefetch, Q, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.views import View
from django.views.generic import TemplateView

from qingshen.campaigns.models import CampaignEnterprise
from qingshen.core.views import Breadcrumbs, ObjectListView
from qingshen.enterprises.models import Enterprise
from qingshen.files.models import StoredFile
from qingshen.files.views import serve
from qingshen.regions.models import Region
from qingshen.rosters import final_list, services
from qingshen.rosters.filters import MemberFilterSet, RosterTaskFilterSet
from qingshen.rosters.forms import (
    AttestationForm, CorrectForm, ExcludeForm, ProposeForm, RequirementsForm, ReviewForm, SubmitForm,
)
from qingshen.rosters.models import RosterDecision, RosterSubmission, RosterTask, may_act, may_review
from qingshen.rosters.services import ATTESTATION, message_of

GROUP_CRUMB = ("任务管理", None)
LIST_CRUMB = ("名单核定任务", "/rosters/")
VIEW = "rosters.view_rostertask"
VERIFY = "rosters.verify_roster"
REVIEW = "rosters.review_roster"
Status = RosterTask.Status


def add_errors(form, exc):
    """A service's refusal shown on the form: beside the field it is about, else on top."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, message_of(exc))


def campaign_url(campaign):
    """The campaign's page (where the province builds its roster), once that page exists."""
    try:
        return campaign.get_absolute_url()
    except NoReverseMatch:
        return None


# --- the list ------------------------------------------------------------------------------------


class RosterTaskListView(ObjectListView):
    model = RosterTask
    permission_required = VIEW
    filterset_class = RosterTaskFilterSet
    template_name = "rosters/task_list.html"
    breadcrumbs = [GROUP_CRUMB, ("名单核定任务", None)]

    def get_queryset(self):
        by_status = {
            f"lower_{status}": Count("children", filter=Q(children__status=status), distinct=True)
            for status in Status.values
        }
        return (
            super().get_queryset()
            .select_related("campaign", "organization__region")
            .annotate(lower_total=Count("children", distinct=True), **by_status,
                      level_order=Case(When(level="province", then=0), When(level="city", then=1), default=2))
            .order_by("-campaign__year", "-campaign__created_at", "level_order", "organization__account_code")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        labels = dict(Status.choices)
        for task in context["object_list"]:
            task.lower_progress = [(labels[s], getattr(task, f"lower_{s}")) for s in Status.values
                                   if getattr(task, f"lower_{s}")]
        return context


# --- a task's pages --------------------------------------------------------------------------------


STEP_LABELS = {
    "members": "企业清单",
    "dispatch": "下发任务",
    "submit": "提交任务",
}


def steps_of(task) -> list[tuple[str, str, str]]:
    """[(step, label, url)] of a task, in the seed's order."""
    has_lower = task.parent_id is None or task.has_lower_level
    steps = []
    if task.parent_id:
        steps.append(("upper", f"{task.upper_level_label}任务信息", reverse("rosters:detail", args=[task.pk])))
    if has_lower:
        steps.append(("own", f"{task.level_label}任务信息", reverse("rosters:own", args=[task.pk])))
    steps.append(("members", "企业清单", reverse("rosters:members", args=[task.pk])))
    if has_lower:
        steps.append(("dispatch", "下发任务", reverse("rosters:dispatch", args=[task.pk])))
        steps.append(("children", f"{task.lower_level_label}任务情况", reverse("rosters:children", args=[task.pk])))
    if task.parent_id:
        steps.append(("submit", "提交任务", reverse("rosters:submit", args=[task.pk])))
    return steps


class TaskMixin(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs):
    """A page of one task: the task in the user's jurisdiction, the step bar, the banner of a
    returned task. GET needs `permission_required`; POST `post_permission`."""

    permission_required = VIEW
    post_permission = VERIFY
    step = ""
    template_name = ""

    def get_permission_required(self):
        if self.request.method == "POST":
            return [self.post_permission]
        return [self.permission_required]

    def task_queryset(self):
        return RosterTask.objects.restrict(self.request.user).select_related(
            "campaign", "organization__region", "parent__organization", "parent__parent__organization",
            "attested_by",
        )

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.has_permission():
            return self.handle_no_permission()
        self.task = get_object_or_404(self.task_queryset(), pk=kwargs["pk"])
        return super(PermissionRequiredMixin, self).dispatch(request, *args, **kwargs)

    # what the user may do here
    @property
    def is_own(self) -> bool:
        return may_act(self.task, self.request.user)

    @property
    def can_edit(self) -> bool:
        return self.is_own and self.task.is_editable

    @property
    def steps(self):
        if not hasattr(self, "_steps"):
            self._steps = steps_of(self.task)
        return self._steps

    def step_url(self, step):
        return next((url for key, _, url in self.steps if key == step), None)

    def next_url(self):
        return self._neighbour(+1)

    def prev_url(self):
        return self._neighbour(-1)

    def _neighbour(self, offset):
        steps = self.steps
        keys = [key for key, _, _ in steps]
        if self.step not in keys:
            return None
        index = keys.index(self.step) + offset
        return steps[index][2] if 0 <= index < len(steps) else None

    def get_breadcrumbs(self):
        label = {key: label for key, label, _ in self.steps}.get(self.step, STEP_LABELS.get(self.step, ""))
        return [GROUP_CRUMB, LIST_CRUMB, (label, None)]

    def latest_submission(self):
        if not hasattr(self, "_latest"):
            self._latest = (RosterSubmission.objects.filter(task=self.task).select_related(
                "stamped_list", "submitted_by", "reviewed_by").order_by("-round").first())
        return self._latest

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task = self.task
        context.update({
            "task": task, "step": self.step, "steps": self.steps, "next_url": self.next_url(),
            "prev_url": self.prev_url(),
            "is_own": self.is_own, "can_edit": self.can_edit,
            "is_reviewer": may_review(task, self.request.user),
            "latest": self.latest_submission(), "attestation": ATTESTATION,
            "campaign_url": campaign_url(task.campaign),
        })
        return context

    def step_not_here(self):
        """A step this task does not have (a county has no 下发任务): back to its first page."""
        messages.info(self.request, "该任务没有此步骤。")
        return redirect(self.steps[0][2])


class FormStepMixin(TaskMixin):
    """A step with a form: GET shows it; POST validates, calls the service, moves on."""

    form_class = None

    def get_form(self, data=None, files=None):
        return self.form_class(data, files, task=self.task)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                response = self.act(form)
            except (ValidationError, PermissionDenied) as exc:
                add_errors(form, exc)
            else:
                return response
        return self.render_to_response(self.get_context_data(form=form))

    def act(self, form):
        raise NotImplementedError


class UpperStepView(TaskMixin, TemplateView):
    """上级任务信息: the campaign's notice, the requirements and files of every level above, the dates."""

    step = "upper"
    template_name = "rosters/step_upper.html"

    def get(self, request, *args, **kwargs):
        if self.task.parent_id is None:
            return redirect("rosters:own", pk=self.task.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        above = []
        node = self.task.parent
        while node is not None:
            above.append(node)
            node = node.parent if node.parent_id else None
        for node in above:
            node.files = list(node.attachments.all())
        context["above"] = list(reversed(above))
        return context


class OwnStepView(FormStepMixin, TemplateView):
    """本级任务信息: own requirements and files; 下一步 saves and moves on."""

    step = "own"
    template_name = "rosters/step_own.html"
    form_class = RequirementsForm

    def get(self, request, *args, **kwargs):
        if self.step_url("own") is None:
            return self.step_not_here()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["files"] = list(self.task.attachments.all())
        return context

    def act(self, form):
        services.update_requirements(
            self.request.user, self.task, requirements=form.cleaned_data["requirements"],
            new_attachments=form.cleaned_data["attachments"],
            remove_attachments=form.cleaned_data["remove_attachments"],
            expected_status=form.cleaned_data["expected_status"],
        )
        messages.success(self.request, "已保存本级任务信息。")
        return redirect(self.next_url() or self.request.path)


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


# --- 下发任务, 区县任务情况, 提交任务 --------------------------------------------------------------


class DispatchStepView(FormStepMixin, TemplateView):
    """下发任务: the attestation, then publish (province) or dispatch (city)."""

    step = "dispatch"
    template_name = "rosters/step_dispatch.html"
    form_class = AttestationForm

    def get(self, request, *args, **kwargs):
        if self.step_url("dispatch") is None:
            return self.step_not_here()
        return super().get(request, *args, **kwargs)

    @property
    def action(self):
        return "publish" if self.task.parent_id is None else "dispatch"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        allowed, why = services.availability(self.request.user, self.task, self.action)
        context["allowed"], context["why_not"] = allowed, why
        by_place = (self.task.members().values("city_code" if self.action == "publish" else "county_code")
                    .annotate(n=Count("pk")))
        key = "city_code" if self.action == "publish" else "county_code"
        names = dict(Region.objects.filter(code__in=[row[key] for row in by_place]).values_list("code", "name"))
        context["recipients"] = [(names.get(row[key], row[key] or "—"), row["n"]) for row in by_place]
        context["recipients"].sort()
        return context

    def act(self, form):
        call = services.publish if self.action == "publish" else services.dispatch
        children = call(self.request.user, self.task, attested=form.cleaned_data["attested"],
                        expected_status=form.cleaned_data["expected_status"])
        names = "、".join(c.organization.name for c in children)
        messages.success(self.request, f"任务已下发至 {len(children)} 个单位：{names}。")
        return redirect(self.next_url() or self.request.path)


class ChildrenStepView(TaskMixin, TemplateView):
    """区县任务情况 (市级任务情况 for the province): each lower task, its latest round, 通过 / 退回."""

    step = "children"
    template_name = "rosters/step_children.html"

    def get(self, request, *args, **kwargs):
        if self.step_url("children") is None:
            return self.step_not_here()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        children = list(self.task.children.select_related("organization").prefetch_related(Prefetch(
            "submissions", queryset=RosterSubmission.objects.select_related(
                "stamped_list", "submitted_by", "reviewed_by").order_by("-round"))).order_by(
            "organization__account_code"))
        counts = dict(self.task.members().values_list(
            "city_code" if self.task.level == "province" else "county_code").annotate(n=Count("pk")))
        reviewer = self.request.user.has_perm(REVIEW) and self.is_own
        for child in children:
            rounds = list(child.submissions.all())
            child.latest = rounds[0] if rounds else None
            child.member_count = counts.get(child.organization.region_id, 0)
            child.reviewable = reviewer and self.task.is_editable and child.status in (Status.SUBMITTED,)
            child.returnable = reviewer and self.task.is_editable and child.status in (Status.SUBMITTED,
                                                                                        Status.APPROVED)
            # one form per lower task on the page: ids of its own, so each label finds its own field
            child.review_form = ReviewForm(task=child, auto_id=f"id_review{child.pk}_%s")
        context["children"] = children
        return context


class SubmitStepView(FormStepMixin, TemplateView):
    """提交任务: the final list to download and stamp, the stamped scan to upload, the rounds so far
    — and, for the level above, 通过 / 退回."""

    step = "submit"
    template_name = "rosters/step_submit.html"
    form_class = SubmitForm

    def get(self, request, *args, **kwargs):
        if self.step_url("submit") is None:
            return self.step_not_here()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rounds"] = list(self.task.submissions.select_related(
            "stamped_list", "submitted_by", "reviewed_by").order_by("-round"))
        allowed, why = services.availability(self.request.user, self.task, "submit")
        context["allowed"], context["why_not"] = allowed, why
        context.setdefault("review_form", ReviewForm(task=self.task))
        totals = dict(self.task.members().values_list("status").annotate(n=Count("pk")))
        context["totals"] = [(label, totals.get(value, 0)) for value, label in CampaignEnterprise.Status.choices]
        context["lower"] = list(self.task.children.select_related("organization").order_by(
            "organization__account_code"))
        if context["is_reviewer"]:
            context["can_approve"], why = services.availability(self.request.user, self.task, "approve")
            context["can_return"], why_not_return = services.availability(self.request.user, self.task, "send_back")
            context["review_why"] = why or why_not_return
        return context

    def act(self, form):
        submission = services.submit(self.request.user, self.task, stamped_list=form.cleaned_data["stamped_list"],
                                     expected_status=form.cleaned_data["expected_status"])
        messages.success(self.request, f"已提交（第 {submission.round} 轮），等待上级审核。")
        return redirect("rosters:submit", pk=self.task.pk)


class ReviewView(SubmitStepView):
    """通过 / 退回 a lower level's task (posted from 区县任务情况 or from its 提交任务 page)."""

    post_permission = REVIEW

    def get(self, request, *args, **kwargs):
        return redirect("rosters:submit", pk=self.task.pk)

    def post(self, request, *args, **kwargs):
        form = ReviewForm(request.POST, task=self.task)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == "approve":
                    services.approve(request.user, self.task, data["comments"],
                                     expected_status=data["expected_status"])
                else:
                    services.send_back(request.user, self.task, data["comments"],
                                       expected_status=data["expected_status"])
            except (ValidationError, PermissionDenied) as exc:
                add_errors(form, exc)
            else:
                verb = "通过" if data["decision"] == "approve" else "退回"
                messages.success(request, f"已{verb} {self.task.organization.name} 的名单。")
                parent = self.task.parent
                return redirect("rosters:children", pk=parent.pk)
        return self.render_to_response(self.get_context_data(form=SubmitForm(task=self.task), review_form=form))


class RoundView(TaskMixin, TemplateView):
    """An earlier (or the latest) round: the list as submitted, the stamped scan, the review."""

    step = "submit"
    template_name = "rosters/round.html"

    def get_breadcrumbs(self):
        return [GROUP_CRUMB, LIST_CRUMB, ("提交任务", reverse("rosters:submit", args=[self.task.pk])),
                (f"第 {self.kwargs['round']} 轮", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = get_object_or_404(
            RosterSubmission.objects.select_related("stamped_list", "submitted_by", "reviewed_by"),
            task=self.task, round=self.kwargs["round"])
        statuses = dict(CampaignEnterprise.Status.choices)
        from qingshen.campaigns.models import HandlingLevel, Reason

        reasons, levels = dict(Reason.choices), dict(HandlingLevel.choices)
        rows = []
        for row in submission.snapshot:
            rows.append({**row, "status_label": statuses.get(row.get("status"), row.get("status")),
                         "reason_labels": "、".join(reasons.get(r, r) for r in row.get("reasons", [])),
                         "handling_label": levels.get(row.get("handling_level"), "")})
        context["submission"], context["rows"] = submission, rows
        return context


# --- files -----------------------------------------------------------------------------------------


class FinalListView(TaskMixin, View):
    """The level's final list as it stands, for stamping: .xlsx or PDF."""

    fmt = "xlsx"

    def get(self, request, *args, **kwargs):
        final = final_list.build(self.task)
        if self.fmt == "pdf":
            content, mime = final_list.as_pdf(final), "application/pdf"
        else:
            content, mime = final_list.as_xlsx(final), final_list.XLSX_TYPE
        response = HttpResponse(content, content_type=mime)
        response["Content-Disposition"] = final_list.content_disposition(final_list.file_name(self.task, self.fmt))
        return response


class FileView(TaskMixin, View):
    """A file of this task, served only to those who may see the task: its own and the upper
    levels' notice files, its stamped lists, and the evidence for decisions about enterprises on
    its list."""

    def get(self, request, *args, **kwargs):
        task = self.task
        ancestors = [task.pk]
        node = task
        while node.parent_id:
            ancestors.append(node.parent_id)
            node = node.parent
        attachments = RosterTask.attachments.through.objects.filter(rostertask_id__in=ancestors)
        evidence = RosterDecision.evidence.through.objects.filter(rosterdecision__member__in=task.members())
        allowed = (
            Q(pk__in=attachments.values("storedfile_id"))
            | Q(pk__in=RosterSubmission.objects.filter(task=task).values("stamped_list_id"))
            | Q(pk__in=evidence.values("storedfile_id"))
        )
        stored = StoredFile.objects.filter(allowed, pk=kwargs["file_pk"]).first()
        if stored is None:
            raise Http404("文件不存在或不属于该任务。")
        return serve(stored, inline=request.GET.get("download") != "1")
