from django.views.generic import ListView

from qingshen.core.views import ScopedViewMixin
from qingshen.reviews import worklist
from qingshen.reviews.models import Review

VIEW = "reviews.view_review"


class WorklistView(ScopedViewMixin, ListView):
    """待办: what waits for the user's level (or, for an expert, the reviews it is drawn for)."""

    model = Review
    permission_required = VIEW
    template_name = "reviews/worklist.html"
    breadcrumbs = [("业务办理", None), ("评估、验收审核待办", None)]
    paginate_by = 50

    def get_queryset(self):
        return worklist.waiting(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = worklist.annotate(context["object_list"])
        return context


class ReviewListView(ScopedViewMixin, ListView):
    """Every review in the user's jurisdiction (the enterprise: its own), newest first."""

    model = Review
    permission_required = VIEW
    template_name = "reviews/review_list.html"
    breadcrumbs = [("业务办理", None), ("评估、验收审核", None)]
    paginate_by = 50

    def get_queryset(self):
        queryset = (Review.objects.restrict(self.request.user)
                    .select_related("project__enterprise__region", "project__campaign", "application"))
        status = self.request.GET.get("status")
        if status in Review.Status.values:
            queryset = queryset.filter(status=status)
        stage = self.request.GET.get("stage")
        if stage in ("evaluation", "acceptance"):
            queryset = queryset.filter(stage=stage)
        return queryset.order_by("-created_at", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(statuses=Review.Status.choices, status=self.request.GET.get("status", ""),
                       stage=self.request.GET.get("stage", ""))
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context
