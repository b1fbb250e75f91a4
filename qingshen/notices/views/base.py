"""What every page of a notice task shares: finding the task in the user's jurisdiction, its step
bar, and the words for errors and for the letters' privacy."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property

from qingshen.core.views import Breadcrumbs
from qingshen.notices.models import NoticeTask

GROUP_CRUMB = ("任务管理", None)
NOTICE_CRUMB = ("清审任务通知", "/notices/")
LEVEL_WORD = {"province": "省", "city": "市", "county": "县"}


def error_text(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or "您无权执行该操作。"


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
