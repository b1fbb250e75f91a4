"""清审任务管理: the notice passed down province → city → county → enterprises, step by step as
the seed's operating guide shows it (省任务信息, 市/县任务信息, 企业名单, 告知书, 下发任务).

Every page starts from `NoticeTask.objects.restrict(user)` (or a row reached through such a
task), so a task outside the user's jurisdiction does not exist (404). Letters, their stamped
copies and bulk scans carry the enterprises' activation codes: inside the jurisdiction, only
the department that notifies the enterprises may open them (403 for everyone else).
Every change goes through `qingshen.notices.services`.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from qingshen.campaigns.models import Campaign
from qingshen.core.views import Breadcrumbs, ObjectListView
from qingshen.files.views import serve
from qingshen.files.validation import FileRefused
from qingshen.industries.models import Industry
from qingshen.notices import services
from qingshen.notices.filters import MemberFilterSet, NoticeTaskFilterSet
from qingshen.notices.forms import (
    AssignForm,
    AttestForm,
    BatchDownloadForm,
    GenerateForm,
    IssueForm,
    OwnInfoForm,
    ScanUploadForm,
    StampedCopyForm,
)
from qingshen.notices.models import NoticeLetter, NoticeTask, ScanBatch, ScanPage
from qingshen.rosters.models import RosterTask

GROUP_CRUMB = ("任务管理", None)
NOTICE_CRUMB = ("清审任务通知", "/notices/")
LEVEL_WORD = {"province": "省", "city": "市", "county": "县"}
LETTER_PRIVATE = "告知书含企业的激活码，只有负责通知企业的生态环境部门可以查看和办理。"


def error_text(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or "您无权执行该操作。"


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


def issuable_campaigns(user):
    """Campaigns with at least one city roster approved (the notice follows the roster)."""
    approved = RosterTask.objects.filter(level="city", status=RosterTask.Status.APPROVED).values("campaign_id")
    return Campaign.objects.restrict(user).filter(pk__in=approved).order_by("-year", "-created_at")


class IssueView(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs, FormView):
    """发布清审任务通知 (province): its own task and one 待派发 task per city whose roster it has
    approved; run again later, it adds the cities approved since."""

    permission_required = "notices.issue_notice"
    form_class = IssueForm
    template_name = "notices/issue.html"
    breadcrumbs = [GROUP_CRUMB, NOTICE_CRUMB, ("发布清审任务通知", None)]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["campaigns"] = issuable_campaigns(self.request.user)
        if "campaign" in self.request.GET and not self.request.method == "POST":
            kwargs["initial"] = {"campaign": self.request.GET["campaign"]}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaigns = list(issuable_campaigns(self.request.user))
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


# --- one task, step by step -----------------------------------------------------------------


class TaskMixin(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs):
    """A page about one notice task (the URL's pk), within the user's jurisdiction."""

    permission_required = "notices.view_noticetask"
    step = ""
    step_label = ""

    @cached_property
    def task(self) -> NoticeTask:
        queryset = NoticeTask.objects.restrict(self.request.user).select_related(
            "campaign", "organization__region", "attested_by",
            "parent__organization", "parent__attested_by",
            "parent__parent__organization", "parent__parent__attested_by",
        )
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    @cached_property
    def notifies(self) -> bool:
        return self.task.notifies_enterprises

    @cached_property
    def is_own(self) -> bool:
        return self.task.organization_id == self.request.user.organization_id

    @property
    def may_act(self) -> bool:
        """The department's own pending task, and the permission to dispatch it."""
        return (self.is_own and self.task.status == NoticeTask.Status.PENDING
                and self.request.user.has_perm("notices.dispatch_notice"))

    @property
    def may_handle_letters(self) -> bool:
        return self.is_own and self.notifies and self.request.user.has_perm("notices.generate_letter")

    def steps(self):
        task = self.task
        url = lambda name: reverse(f"notices:{name}", args=[task.pk])  # noqa: E731
        steps = [("detail", "省任务信息", url("detail"))]
        if task.level != "province":
            steps.append(("own", f"{LEVEL_WORD.get(task.level, '本级')}任务信息", url("own")))
        steps.append(("enterprises", "企业名单", url("enterprises")))
        if self.notifies:
            steps.append(("letters", "告知书", url("letters")))
        if task.level != "province":
            steps.append(("dispatch", "下发任务", url("dispatch")))
        return steps

    def get_breadcrumbs(self):
        return [GROUP_CRUMB, NOTICE_CRUMB, (self.step_label or dict((s[0], s[1]) for s in self.steps())[self.step],
                                            None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        steps = self.steps()
        names = [s[0] for s in steps]
        context.update(
            task=self.task, steps=steps, step=self.step, is_own=self.is_own, may_act=self.may_act,
            notifies=self.notifies, may_handle_letters=self.may_handle_letters,
            next_step=steps[names.index(self.step) + 1] if self.step in names[:-1] else None,
            previous_step=steps[names.index(self.step) - 1] if self.step in names[1:] else None,
        )
        return context


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


# --- 告知书 ----------------------------------------------------------------------------------


class LettersView(TaskMixin, TemplateView):
    """告知书: per enterprise its letter (number, revision), the stamped copy, and the actions —
    生成 / 重新生成, download, upload the stamped copy; batch download and bulk scan upload."""

    template_name = "notices/task_letters.html"
    step = "letters"

    def get(self, request, *args, **kwargs):
        if not self.notifies:
            messages.info(request, "告知书由区县（或不设区县的市）生成和下发。")
            return redirect("notices:enterprises", pk=self.task.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = list(self.task.members().select_related("enterprise", "letter").order_by("seq", "pk"))
        rows = []
        for member in members:
            letter = getattr(member, "letter", None)
            rows.append({"member": member, "letter": letter,
                         "current": letter is not None and letter.has_current_stamped_copy,
                         "outdated": letter is not None and letter.stamped_copy_id is not None
                         and not letter.has_current_stamped_copy})
        context["rows"] = rows
        context["generated"] = sum(1 for row in rows if row["letter"] and row["letter"].pdf_id)
        context["stamped"] = sum(1 for row in rows if row["current"])
        context["scans"] = (ScanBatch.objects.filter(task=self.task).select_related("job", "uploaded_by")
                            .annotate(page_count=Count("pages"))[:10]) if self.is_own else []
        context["pending"] = self.task.status == NoticeTask.Status.PENDING
        context["warning"] = services.REGENERATE_WARNING
        context["scan_form"] = ScanUploadForm()
        return context


class LetterActionMixin:
    """POST-only actions on a task that redirect back to the letters step with a message."""

    http_method_names = ["post"]

    def back(self):
        return redirect("notices:letters", pk=self.task.pk)


class GenerateLetterView(TaskMixin, LetterActionMixin, View):
    """生成 (revision 0) or 重新生成 (the revision the page showed) one letter."""

    permission_required = "notices.generate_letter"

    def post(self, request, pk):
        form = GenerateForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请求不完整，请刷新页面后重试。")
            return self.back()
        try:
            letter, code = services.generate_letter(request.user, self.task, form.cleaned_data["member"],
                                                    expected_revision=form.cleaned_data["revision"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
            return self.back()
        done = "重新生成" if letter.revision > 1 else "生成"
        messages.success(request, f"已{done}告知书 {letter.number}（第 {letter.revision} 版）"
                         f"{'，原告知书及其激活码已作废' if letter.revision > 1 else ''}。请下载打印、盖章后上传盖章版。")
        return self.back()


class LettersBatchView(TaskMixin, LetterActionMixin, View):
    """批量下载企业告知书: starts the job (ZIP or merged PDF) and shows its progress."""

    permission_required = "notices.generate_letter"

    def post(self, request, pk):
        form = BatchDownloadForm(request.POST)
        fmt = form.cleaned_data["format"] if form.is_valid() else ""
        try:
            job = services.start_letters_batch(request.user, self.task, fmt)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
            return self.back()
        return redirect(job.get_absolute_url())


class ScanUploadView(TaskMixin, FormView):
    """批量上传盖章件: a multi-page PDF scan or many images; the QR codes are read in the background."""

    permission_required = "notices.generate_letter"
    template_name = "notices/scan_upload.html"
    form_class = ScanUploadForm
    step = "letters"
    step_label = "批量上传盖章件"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(self.permission_required) and not self.is_own:
            raise PermissionDenied(LETTER_PRIVATE)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            batch = services.receive_scan(self.request.user, self.task, form.cleaned_data["files"])
        except (ValidationError, PermissionDenied) as exc:
            form.add_error("files" if isinstance(exc, ValidationError) else None, error_text(exc))
            return self.form_invalid(form)
        messages.success(self.request, "已上传，正在识别每页的二维码。")
        return redirect("notices:scan_detail", pk=batch.pk)


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


# --- one letter ------------------------------------------------------------------------------


class LetterMixin(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs):
    """A page about one letter: within the jurisdiction (else 404), and only for the department
    that notifies its enterprise (else 403 — the letter carries the activation code)."""

    permission_required = "notices.generate_letter"

    @cached_property
    def letter(self) -> NoticeLetter:
        queryset = NoticeLetter.objects.restrict(self.request.user).select_related(
            "task__organization__region", "task__campaign", "member__enterprise", "pdf", "stamped_copy")
        letter = get_object_or_404(queryset, pk=self.kwargs["pk"])
        if letter.task.organization_id != self.request.user.organization_id:
            raise PermissionDenied(LETTER_PRIVATE)
        return letter

    def get_breadcrumbs(self):
        return [GROUP_CRUMB, NOTICE_CRUMB, ("告知书", reverse("notices:letters", args=[self.letter.task_id])),
                (self.crumb, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["letter"] = self.letter
        context["task"] = self.letter.task
        context["pending"] = self.letter.task.status == NoticeTask.Status.PENDING
        return context


class LetterPdfView(LetterMixin, View):
    """The generated letter (PDF), private."""

    def get(self, request, pk):
        if self.letter.pdf_id is None:
            raise Http404("告知书尚未生成。")
        return serve(self.letter.pdf, inline=request.GET.get("download") != "1")


class StampedCopyView(LetterMixin, View):
    def get(self, request, pk):
        if self.letter.stamped_copy_id is None:
            raise Http404("尚未上传盖章版。")
        return serve(self.letter.stamped_copy, inline=True)


class StampedUploadView(LetterMixin, FormView):
    """上传盖章版 for one letter (PDF/JPG/PNG, checked by content)."""

    template_name = "notices/letter_upload.html"
    form_class = StampedCopyForm
    crumb = "上传盖章版"

    def get(self, request, *args, **kwargs):
        self.letter  # noqa: B018  (404 / 403 first)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.letter  # noqa: B018
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.attach_stamped_copy(self.request.user, self.letter, form.cleaned_data["file"])
        except (ValidationError, PermissionDenied) as exc:
            form.add_error("file" if isinstance(exc, ValidationError) else None, error_text(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"已上传 {self.letter.member.enterprise.name} 的盖章版告知书（第 "
                                       f"{self.letter.revision} 版）。")
        return redirect("notices:letters", pk=self.letter.task_id)


class RegenerateView(LetterMixin, TemplateView):
    """重新生成 with a confirmation: the old letter, its activation code and its stamped copy
    stop counting."""

    template_name = "notices/letter_regenerate.html"
    crumb = "重新生成告知书"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["warning"] = services.REGENERATE_WARNING
        return context

    def post(self, request, pk):
        letter = self.letter
        try:
            revision = int(request.POST.get("revision", ""))
        except ValueError:
            revision = -1
        try:
            letter, _ = services.generate_letter(request.user, letter.task, letter.member_id,
                                                 expected_revision=revision)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
            return redirect("notices:letters", pk=self.letter.task_id)
        messages.success(request, f"已重新生成告知书 {letter.number}（第 {letter.revision} 版），"
                                  "原告知书及其激活码已作废。请下载打印、盖章后重新上传盖章版。")
        return redirect("notices:letters", pk=letter.task_id)


# --- bulk scans ------------------------------------------------------------------------------


def visible_scans(user):
    return ScanBatch.objects.filter(task__in=NoticeTask.objects.restrict(user))


class ScanMixin(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs):
    permission_required = "notices.generate_letter"

    def own_or_403(self, task):
        if task.organization_id != self.request.user.organization_id:
            raise PermissionDenied(LETTER_PRIVATE)


class ScanDetailView(ScanMixin, TemplateView):
    """Every page of a bulk upload with its outcome; unmatched pages can be assigned by hand."""

    template_name = "notices/scan_detail.html"

    @cached_property
    def batch(self):
        batch = get_object_or_404(visible_scans(self.request.user).select_related(
            "task__organization__region", "task__campaign", "job", "uploaded_by"), pk=self.kwargs["pk"])
        self.own_or_403(batch.task)
        return batch

    def get_breadcrumbs(self):
        return [GROUP_CRUMB, NOTICE_CRUMB, ("告知书", reverse("notices:letters", args=[self.batch.task_id])),
                ("批量上传识别结果", None)]

    def get_template_names(self):
        if self.request.htmx:
            return ["notices/_scan_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.batch
        pages = list(batch.pages.select_related("letter__member__enterprise", "image"))
        letters = list(NoticeLetter.objects.filter(task=batch.task).select_related("member__enterprise")
                       .order_by("number"))
        pending = batch.task.status == NoticeTask.Status.PENDING
        for page in pages:
            page.matched = page.outcome in (ScanPage.Outcome.MATCHED, ScanPage.Outcome.ASSIGNED)
            page.form = AssignForm(letters=letters, prefix=f"p{page.pk}") if pending and not page.matched else None
        context.update(batch=batch, task=batch.task, pages=pages, job=batch.job,
                       finished=batch.job is None or batch.job.is_finished,
                       matched=sum(1 for p in pages if p.matched), unmatched=sum(1 for p in pages if not p.matched),
                       sources=list(batch.sources.all()))
        return context


class ScanPageMixin(ScanMixin):
    @cached_property
    def page(self):
        page = get_object_or_404(ScanPage.objects.filter(batch__in=visible_scans(self.request.user)).select_related(
            "batch__task", "image"), pk=self.kwargs["pk"])
        self.own_or_403(page.batch.task)
        return page


class ScanPageImageView(ScanPageMixin, View):
    def get(self, request, pk):
        return serve(self.page.image, inline=True)


class AssignPageView(ScanPageMixin, View):
    """人工指定: file an unmatched page as the stamped copy of the chosen letter."""

    http_method_names = ["post"]

    def post(self, request, pk):
        page = self.page
        letters = NoticeLetter.objects.filter(task=page.batch.task).select_related("member__enterprise")
        form = AssignForm(request.POST, letters=letters, prefix=f"p{page.pk}")
        target = redirect(f"{reverse('notices:scan_detail', args=[page.batch_id])}#page-{page.index}")
        if not form.is_valid():
            messages.error(request, f"第 {page.index} 页：请选择对应的企业告知书。")
            return target
        try:
            services.assign_scan_page(request.user, page, form.cleaned_data["letter"],
                                      form.cleaned_data["letter_page"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, f"第 {page.index} 页：{error_text(exc)}")
            return target
        messages.success(request, f"第 {page.index} 页已指定为对应企业的盖章版告知书。")
        return target

