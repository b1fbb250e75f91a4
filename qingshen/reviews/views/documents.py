"""The opinion document's download and a draw's re-verification."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.encoding import escape_uri_path
from django.views.generic import DetailView

from qingshen.core.views import ScopedViewMixin
from qingshen.files.views import serve
from qingshen.reviews import draw as drawing
from qingshen.reviews.models import ExpertDraw, Review, SitePhoto

VIEW = "reviews.view_review"


class OpinionDownloadView(ScopedViewMixin, DetailView):
    """The enterprise (and every reader of the review) downloads the opinion PDF."""

    model = Review
    permission_required = VIEW

    def get(self, request, *args, **kwargs):
        review = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        if review.opinion_file is None:
            raise Http404("尚未出具审核意见。")
        response = FileResponse(iter([review.opinion_file.open_content()]), content_type="application/pdf")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(review.opinion_number)}.pdf"
        return response


class DrawVerifyView(ScopedViewMixin, DetailView):
    """Re-run a recorded draw (its pool, exclusions, seed and algorithm) and say whether it gives
    the same group. Readers of the review may check it."""

    model = ExpertDraw
    permission_required = VIEW
    template_name = "reviews/draw_verify.html"
    context_object_name = "attempt"

    def get_queryset(self):
        return ExpertDraw.objects.filter(review__in=Review.objects.restrict(self.request.user)).select_related(
            "review__project", "drawn_by")

    def get_breadcrumbs(self):
        review = self.object.review
        return [("业务办理", None), (str(review), review.get_absolute_url()), (f"第 {self.object.number} 次抽取复核", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object.record
        names = {row["id"]: row["name"] for row in record.get("pool", [])}
        if self.object.succeeded:
            try:
                context["check"] = drawing.verify(record)
            except drawing.RecordError as exc:
                context["error"] = str(exc)
        context.update(names=names, record=record)
        return context


class SitePhotoView(ScopedViewMixin, DetailView):
    """A photo of a site review, for whoever may read the review."""

    model = SitePhoto
    permission_required = VIEW

    def get_queryset(self):
        return SitePhoto.objects.filter(site_visit__review__in=Review.objects.restrict(self.request.user)).select_related(
            "stored")

    def get(self, request, *args, **kwargs):
        return serve(get_object_or_404(self.get_queryset(), pk=kwargs["pk"]).stored)
