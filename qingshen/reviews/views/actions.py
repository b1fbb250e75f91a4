"""The acts on a review, one POST each; they call the services, and on refusal show the review
page again with the form as typed and the reason in Chinese."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from qingshen.reviews import services
from qingshen.reviews.forms import (
    CompileForm,
    DecisionForm,
    DeclineForm,
    DrawForm,
    IntakeForm,
    OpinionForm,
    SiteVisitForm,
)
from qingshen.reviews.models import Assignment, Review
from qingshen.reviews.views.detail import render_with


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _errors_into(form, exc):
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or "您无权执行该操作。")
    elif hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ReviewAction(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "reviews.view_review"
    form_name = ""
    success = ""

    def get_review(self):
        return get_object_or_404(Review.objects.restrict(self.request.user).select_related("project"),
                                 pk=self.kwargs["pk"])

    def build(self, review):
        raise NotImplementedError

    def act(self, review, form):
        raise NotImplementedError

    def post(self, request, pk):
        review = self.get_review()
        form = self.build(review)
        if form.is_valid():
            try:
                self.act(review, form)
            except (ValidationError, PermissionDenied) as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, self.success)
                return redirect(review.get_absolute_url())
        return render_with(request, pk, **{self.form_name: form})


class IntakeAction(ReviewAction):
    """保存 the checks, or 提交 (保存 and conclude: 受理通过 or 退回)."""

    form_name = "intake"

    def build(self, review):
        return IntakeForm(self.request.POST, stage=review.stage)

    def act(self, review, form):
        version = _int(form.cleaned_data.get("version"))
        review = services.check_steps(self.request.user, review, form.checks(), version=version)
        if "conclude" in self.request.POST:
            review = services.conclude_intake(self.request.user, review, version=review.version)
            self.success = f"已办理：{review.get_status_display()}。"
        else:
            self.success = "已保存受理审核意见。"


class DrawAction(ReviewAction):
    form_name = "draw"
    success = "已抽取专家。"

    def build(self, review):
        return DrawForm(self.request.POST)

    def act(self, review, form):
        data = form.cleaned_data
        attempt = services.draw_experts(
            self.request.user, review, size=data["size"], leader=data["leader"], min_industry=data["min_industry"],
            min_cleaner_production=data["min_cleaner_production"], min_energy=data["min_energy"] or 0,
            min_environment=data["min_environment"] or 0, min_process=data["min_process"] or 0,
            exclude_previous_stage_reviewers=data["exclude_previous_stage_reviewers"], reason=data["reason"])
        if not attempt.succeeded:
            raise ValidationError(f"第 {attempt.number} 次抽取未成功（已记录）：{attempt.message}")


class DeclineAction(ReviewAction):
    form_name = "decline"
    success = "已登记专家谢绝，请补抽。"

    def build(self, review):
        return DeclineForm(self.request.POST)

    def act(self, review, form):
        assignment = get_object_or_404(Assignment, pk=_int(self.request.POST.get("assignment")), review=review)
        services.decline(self.request.user, assignment, reason=form.cleaned_data["reason"])


class SubstituteAction(ReviewAction):
    form_name = "decline"
    success = "已补抽专家。"

    def build(self, review):
        return DeclineForm({"reason": "补抽"})

    def act(self, review, form):
        assignment = get_object_or_404(Assignment, pk=_int(self.request.POST.get("assignment")), review=review)
        attempt = services.substitute(self.request.user, review, assignment)
        if not attempt.succeeded:
            raise ValidationError(f"补抽未成功（已记录）：{attempt.message}")


class FormGroupAction(ReviewAction):
    form_name = "draw"
    success = "已确认专家组，进入线上文审。"

    def build(self, review):
        return DrawForm(initial={})  # unbound: only its errors are shown

    def post(self, request, pk):
        review = self.get_review()
        try:
            services.form_group(request.user, review, version=_int(request.POST.get("version")))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, self.success)
        return redirect(review.get_absolute_url())


class OpinionAction(ReviewAction):
    form_name = "opinion"
    success = "已提交文审意见。"

    def build(self, review):
        return OpinionForm(self.request.POST, items=services.score_items(review))

    def act(self, review, form):
        services.give_opinion(self.request.user, review, opinion=form.cleaned_data["opinion"], scores=form.scores())


class CompileAction(ReviewAction):
    form_name = "compile"
    success = "已汇总专家组意见，进入现场审核。"

    def build(self, review):
        return CompileForm(self.request.POST)

    def act(self, review, form):
        services.compile_opinion(self.request.user, review, text=form.cleaned_data["text"],
                                 version=_int(form.cleaned_data.get("version")))


class SiteVisitAction(ReviewAction):
    form_name = "site"
    success = "已记录现场审核。"

    def build(self, review):
        active = review.assignments.filter(status=Assignment.Status.ACTIVE).select_related("expert")
        return SiteVisitForm(self.request.POST, assignments=active)

    def act(self, review, form):
        data = form.cleaned_data
        services.record_site_visit(
            self.request.user, review, visited_on=data["visited_on"], place=data["place"], present=data["present"],
            checked=data["checked"], findings=data["findings"], rectification=data["rectification"],
            photos=self.request.FILES.getlist("photos"), version=_int(data.get("version")))


class DecisionAction(ReviewAction):
    form_name = "decision"
    success = "已出具审核结果。"

    def build(self, review):
        return DecisionForm(self.request.POST)

    def act(self, review, form):
        data = form.cleaned_data
        services.decide(self.request.user, review, conclusion=data["conclusion"], opinion=data["opinion"],
                        rectify_by=data["rectify_by"], acceptance_deadline=data["acceptance_deadline"],
                        version=_int(data.get("version")))
