"""The task list, issuing a notice (the province), and the task's steps: 任务信息, 本级任务信息,
企业名单, 下发任务 (with the attestation), and the task's attachments."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from qingshen.core.views import Breadcrumbs, ObjectListView
from qingshen.files.views import serve
from qingshen.files.validation import FileRefused
from qingshen.industries.models import Industry
from qingshen.notices import services
from qingshen.notices.filters import MemberFilterSet, NoticeTaskFilterSet
from qingshen.notices.forms import AttestForm, IssueForm, OwnInfoForm
from qingshen.notices.models import NoticeTask
from qingshen.rosters.models import RosterTask
from qingshen.notices.views.base import GROUP_CRUMB, NOTICE_CRUMB, TaskMixin, error_text


# --- the list and issuing -------------------------------------------------------------------


class NoticeTaskListView(ObjectListView):
    """清审任务管理: the notice tasks of the user's jurisdiction (its own first)."""

    model = NoticeTask
    permission_required = "notices.view_noticetask"
    filterset_class = NoticeTaskFilterSet
    select_related = ("campaign", "organization", "parent__organization")
    template_name = "notices/task_list.html"
    breadcrumbs = [GROUP_CRUMB, ("清审任务管理", None)]

    def get_queryset(self):
        return super().get_queryset().order_by("-campaign__year", "-campaign_id", "organization__account_code")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["own_organization_id"] = self.request.user.organization_id
        return context


class IssueView(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs, FormView):
    """发布清审任务通知 (province): its own task and one 待派发 task per city whose roster it has
    approved; run again later, it adds the cities approved since."""

    permission_required = "notices.issue_notice"
    form_class = IssueForm
    template_name = "notices/issue.html"
    breadcrumbs = [GROUP_CRUMB, NOTICE_CRUMB, ("发布清审任务通知", None)]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["campaigns"] = services.issuable_campaigns(self.request.user)
        if "campaign" in self.request.GET and not self.request.method == "POST":
            kwargs["initial"] = {"campaign": self.request.GET["campaign"]}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaigns = list(services.issuable_campaigns(self.request.user))
        approved = {}
        for row in RosterTask.objects.filter(campaign__in=campaigns, level="city").select_related("organization"):
            approved.setdefault(row.campaign_id, []).append(row)
        notified = {}
        for row in NoticeTask.objects.filter(campaign__in=campaigns, level="city").values("campaign_id",
                                                                                          "organization_id"):
            notified.setdefault(row["campaign_id"], set()).add(row["organization_id"])
        overview = []
        for campaign in campaigns:
            rows = []
            for roster in sorted(approved.get(campaign.pk, []), key=lambda r: r.organization.account_code):
                done = roster.organization_id in notified.get(campaign.pk, set())
                ready = roster.status == RosterTask.Status.APPROVED
                rows.append({"organization": roster.organization, "roster": roster.get_status_display(),
                             "state": "已发布" if done else ("将发布" if ready else "名单核定未通过，暂不发布")})
            overview.append({"campaign": campaign, "rows": rows,
                             "issued": bool(notified.get(campaign.pk))})
        context["overview"] = overview
        return context

    def form_valid(self, form):
        campaign = form.cleaned_data["campaign"]
        try:
            created = services.issue(self.request.user, campaign)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
            return self.form_invalid(form)
        if created:
            names = "、".join(task.organization.name for task in created)
            messages.success(self.request, f"已发布清审任务通知：{names}（共 {len(created)} 个地市）。")
        else:
            messages.info(self.request, "清审任务通知已发布；没有新通过名单核定的地市需要通知。")
        return redirect(f"{reverse('notices:list')}?campaign={campaign.pk}")


def industry_counts(task) -> list[dict]:
    """企业名单信息: the included enterprises of the department's region per industry (大类)."""
    rows = (task.members().values("enterprise__industry__division_code").annotate(n=Count("pk"))
            .order_by("enterprise__industry__division_code"))
    codes = [row["enterprise__industry__division_code"] for row in rows]
    names = dict(Industry.objects.filter(level=Industry.Level.DIVISION, code__in=[c for c in codes if c])
                 .values_list("code", "name"))
    return [{"code": row["enterprise__industry__division_code"] or "",
             "name": names.get(row["enterprise__industry__division_code"], "未填写行业"), "count": row["n"]}
            for row in rows]


class TaskDetailView(TaskMixin, TemplateView):
    """省任务信息: the province's notice (文号, 批次, 名称, 通知要求, dates, contact) with the
    per-industry counts of this department's region, then what each level above added."""

    template_name = "notices/task_detail.html"
    step = "detail"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chain = self.task.chain()
        prefetch_related_objects(chain, "attachments")
        context["root"] = chain[0]
        context["above"] = chain[1:-1] if len(chain) > 1 else []
        context["industry_counts"] = counts = industry_counts(self.task)
        context["member_total"] = sum(row["count"] for row in counts)
        return context


class OwnInfoView(TaskMixin, FormView):
    """市任务信息 / 县任务信息: this level's own 文号, requirements, contact and files.
    下一步 saves and goes on to 企业名单."""

    template_name = "notices/task_own.html"
    form_class = OwnInfoForm
    step = "own"

    def get_initial(self):
        task = self.task
        return {name: getattr(task, name) for name in services.OWN_FIELDS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.task.attachments_list = list(self.task.attachments.all())
        return context

    def post(self, request, *args, **kwargs):
        if not self.may_act:
            if self.is_own and self.task.status != NoticeTask.Status.PENDING:
                messages.error(request, "任务已下发，不能再修改本级任务信息。")
            else:
                messages.error(request, "只有本级生态环境部门可以填写本级任务信息。")
            return redirect("notices:own", pk=self.task.pk)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in services.OWN_FIELDS}
        try:
            services.update_own(self.request.user, self.task, new_attachments=form.cleaned_data["attachments"], **data)
        except FileRefused as exc:
            form.add_error("attachments", error_text(exc))
            return self.form_invalid(form)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
            return self.form_invalid(form)
        messages.success(self.request, "已保存本级任务信息。")
        if self.request.POST.get("action") == "save":
            return redirect("notices:own", pk=self.task.pk)
        return redirect("notices:enterprises", pk=self.task.pk)


class MemberListView(TaskMixin, TemplateView):
    """企业名单: the included enterprises of the region, as the seed's screen lists them."""

    template_name = "notices/task_enterprises.html"
    step = "enterprises"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = self.task.members().select_related(
            "enterprise__region__parent", "enterprise__industry", "project").order_by("seq", "pk")
        filterset = MemberFilterSet(self.request.GET or None, queryset=queryset, request=self.request,
                                    region=self.task.organization.region)
        page = Paginator(filterset.qs, self.paginate_by).get_page(self.request.GET.get("page"))
        codes = {m.enterprise.industry.division_code for m in page if m.enterprise.industry_id}
        divisions = dict(Industry.objects.filter(level=Industry.Level.DIVISION, code__in=codes)
                         .values_list("code", "name")) if codes else {}
        rows = []
        for member in page:
            enterprise, region = member.enterprise, member.enterprise.region
            city, county = (region.parent, region) if region.level == "county" else (region, None)
            rows.append({
                "member": member, "enterprise": enterprise,
                "division": divisions.get(enterprise.industry.division_code, "") if enterprise.industry_id else "",
                "city": city.name if city else "", "county": county.name if county else "—",
                "project_number": getattr(getattr(member, "project", None), "number", ""),
            })
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filterset=filterset, page_obj=page, rows=rows, querystring=query.urlencode())
        return context


class AttachmentView(TaskMixin, View):
    """A notice file (通知文件) of this task or a level above it."""

    def get(self, request, pk, file_pk):
        for task in self.task.chain():
            stored = task.attachments.filter(pk=file_pk).first()
            if stored is not None:
                return serve(stored, inline=True)
        raise Http404


# --- 下发任务 --------------------------------------------------------------------------------


class DispatchView(TaskMixin, FormView):
    """下发任务: the attestation (电子形式内容完全等同于纸质效力…) and 我同意上述内容; a notifying
    department is refused until every enterprise has a stamped copy of its current letter."""

    template_name = "notices/task_dispatch.html"
    form_class = AttestForm
    step = "dispatch"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task = self.task
        if task.notifies_enterprises:
            members, missing = services.readiness(task)
            context["member_count"], context["missing"] = len(members), missing
        else:
            context["county_count"] = task.members().exclude(county_code="").values("county_code").distinct().count()
            context["children"] = list(task.children.select_related("organization").order_by(
                "organization__account_code")) if task.status == NoticeTask.Status.DISPATCHED else []
        context["own_missing"] = not (task.requirements and task.contact_person and task.contact_phone)
        return context

    def post(self, request, *args, **kwargs):
        task = self.task
        if task.status != NoticeTask.Status.PENDING and self.is_own:
            messages.warning(request, services.ALREADY_DISPATCHED)
            return redirect("notices:dispatch", pk=task.pk)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            children = services.dispatch(self.request.user, self.task, attested=form.cleaned_data["attested"])
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
            return self.form_invalid(form)
        if self.task.notifies_enterprises:
            messages.success(self.request, "任务已下发至企业。企业可凭告知书上的账号和激活码登录系统接受任务。")
        else:
            messages.success(self.request, f"任务已下发至 {len(children)} 个区县。")
        return redirect("notices:dispatch", pk=self.task.pk)
