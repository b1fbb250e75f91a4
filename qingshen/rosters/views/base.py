"""What every page of a roster task shares: finding the task in the user's jurisdiction, its step
bar, and the form handling that keeps typed values on error."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from qingshen.core.views import Breadcrumbs
from qingshen.rosters.models import RosterSubmission, RosterTask, may_act, may_review
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
            "campaign_url": task.campaign.get_absolute_url(),
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
