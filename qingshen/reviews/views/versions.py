"""Comparing a review's application with the version before it."""

from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from qingshen.core.views import ScopedViewMixin
from qingshen.reviews import compare
from qingshen.reviews.models import Review


class CompareView(ScopedViewMixin, TemplateView):
    model = Review
    permission_required = "reviews.view_review"
    template_name = "reviews/compare.html"

    def get(self, request, *args, **kwargs):
        self.review = get_object_or_404(self.get_queryset().select_related("application", "project"), pk=kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = self.review
        previous = (self.get_queryset().filter(project=review.project, stage=review.stage,
                                               application__number__lt=review.application.number)
                    .select_related("application").order_by("-application__number").first())
        context.update(review=review, previous=previous, changes=compare.diff(
            previous.application.contents if previous else {}, review.application.contents or {}) if previous else [])
        return context

    def get_breadcrumbs(self):
        return [("业务办理", None), (str(self.review), self.review.get_absolute_url()), ("版本对比", None)]
