"""A review's page: the application it handles, every level's intake checks, the draws and the
group, the opinions, the site review and the result — and the form of the current step when it
is the user's to take. The acts post to views.actions, which show this page again with the
refused form (and everything typed) on error."""

from django.forms import Form
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView

from qingshen.applications import contents
from qingshen.core.roles import Role
from qingshen.core.views import ScopedViewMixin
from qingshen.reviews import services, steps
from qingshen.reviews.forms import (
    CompileForm,
    DecisionForm,
    DeclineForm,
    DrawForm,
    IntakeForm,
    OpinionForm,
    SiteVisitForm,
)
from qingshen.reviews.models import Assignment, Review, acting_level

VIEW = "reviews.view_review"


class ReviewDetailView(ScopedViewMixin, DetailView):
    model = Review
    permission_required = VIEW
    template_name = "reviews/review_detail.html"
    context_object_name = "review"
    select_related = ("project__enterprise__region", "project__enterprise__industry", "project__campaign",
                      "application", "decided_by", "group_opinion_by")

    #: forms given by an action that was refused, by name
    bound_forms: dict = {}

    def get_breadcrumbs(self):
        if self.request.user.role in (Role.ENTERPRISE, Role.CONSULTANCY):
            first = ("评估、验收审核", reverse("reviews:list"))
        else:
            first = ("评估、验收审核待办", reverse("reviews:worklist"))
        return [("业务办理", None), first, (str(self.object), None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review, user = self.object, self.request.user
        level = acting_level(user)
        checks = {}
        for check in review.checks.select_related("checked_by").order_by("pk"):
            checks.setdefault(check.level, {})[check.step] = check
        assignments = list(review.assignments.select_related("expert", "draw"))  # the leader first
        mine = next((a for a in assignments if a.expert.user_id == user.pk and a.status == Assignment.Status.ACTIVE),
                    None)
        active = [a for a in assignments if a.status == Assignment.Status.ACTIVE]
        handling = user.has_perm("reviews.handle_review") and level == review.handling_level
        bound = self.bound_forms
        frozen = review.application.contents or {}
        context.update(
            steps=steps.steps_of(review.stage), checks=checks, levels=[("county", "县级"), ("city", "市级"),
                                                                       ("province", "省级")],
            assignments=assignments, active=active, mine=mine,
            draws=list(review.draws.select_related("drawn_by__organization").order_by("number")),
            site_visit=getattr(review, "site_visit", None), rectification=list(review.rectification.all()),
            score_items=services.score_items(review), handling=handling,
            counts=contents.counts(frozen), options=contents.options_of(frozen),
            benchmarks=contents.benchmarks_of(frozen), evidence=frozen.get("evidence", []),
            previous=Review.objects.restrict(user).filter(project=review.project, stage=review.stage,
                                                          application__number__lt=review.application.number)
            .order_by("-application__number").first(),
        )
        status = review.status
        if "intake" in bound:  # refused: shown with its reason, even to a level acting out of turn
            context["intake_form"] = bound["intake"]
        elif review.intake_level and level == review.intake_level and user.has_perm("reviews.handle_review"):
            context["intake_form"] = bound.get("intake") or IntakeForm(
                stage=review.stage, checks=checks.get(level, {}), initial={"version": review.version})
        if handling and status == Review.Status.EXPERT_DRAW:
            context["draw_form"] = bound.get("draw") or DrawForm()
            context["decline_form"] = bound.get("decline") or DeclineForm()
        if status == Review.Status.DOCUMENT_REVIEW and mine is not None:
            context["opinion_form"] = bound.get("opinion") or OpinionForm(
                items=context["score_items"], initial={"opinion": mine.opinion, **{
                    f"score_{key}": value for key, value in mine.scores.items()}})
            if mine.role == Assignment.Role.LEADER:
                context["compile_form"] = bound.get("compile") or CompileForm(
                    initial={"version": review.version, "text": review.group_opinion})
        if handling and status == Review.Status.SITE_REVIEW:
            context["site_form"] = bound.get("site") or SiteVisitForm(
                assignments=active, initial={"version": review.version, "present": [a.pk for a in active]})
        if handling and status == Review.Status.DECIDING:
            context["decision_form"] = bound.get("decision") or DecisionForm(initial={"version": review.version})
            context["confirmed_level"] = services.confirmed_level_of(review.project)
        return context


def render_with(request, pk, **bound):
    """The review page again, with refused forms bound (what was typed is kept) and the reasons
    on top — also when the step has moved on and the form is no longer shown (a stale tab)."""
    view = ReviewDetailView(bound_forms=bound)
    view.setup(request, pk=pk)
    view.object = get_object_or_404(view.get_queryset(), pk=pk)
    context = view.get_context_data(object=view.object)
    shown = [value for value in context.values() if isinstance(value, Form)]
    context["refusals"] = [message for form in bound.values() if not any(form is other for other in shown)
                           for message in form.non_field_errors()]
    return view.render_to_response(context)
