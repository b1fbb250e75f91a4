"""The task list and the task's own steps: 上级任务信息, 本级任务信息, 下发任务, 区县/市级任务情况 (review),
提交任务, earlier rounds, the generated final list and the task's files."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, Prefetch, Q, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from qingshen.campaigns.models import CampaignEnterprise
from qingshen.core.views import ObjectListView
from qingshen.files.models import StoredFile
from qingshen.files.views import serve
from qingshen.regions.models import Region
from qingshen.rosters import final_list, services
from qingshen.rosters.filters import RosterTaskFilterSet
from qingshen.rosters.forms import AttestationForm, RequirementsForm, ReviewForm, SubmitForm
from qingshen.rosters.models import RosterDecision, RosterSubmission, RosterTask
from qingshen.rosters.views.base import (
    FormStepMixin, GROUP_CRUMB, LIST_CRUMB, REVIEW, Status, TaskMixin, VIEW, add_errors,
)


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
