from django.urls import path

from qingshen.reviews.views import (
    actions,
    detail,
    documents,
    handover,
    lists,
    scoresheet,
    versions,
)

app_name = "reviews"
urlpatterns = [
    path("", lists.WorklistView.as_view(), name="worklist"),
    path("all/", lists.ReviewListView.as_view(), name="list"),
    path("handover/", handover.HandoverView.as_view(), name="handover"),
    path("handover/export/", handover.HandoverExportView.as_view(), name="handover_export"),
    path("<int:pk>/", detail.ReviewDetailView.as_view(), name="detail"),
    path("<int:pk>/intake/", actions.IntakeAction.as_view(), name="intake"),
    path("<int:pk>/draw/", actions.DrawAction.as_view(), name="draw"),
    path("<int:pk>/decline/", actions.DeclineAction.as_view(), name="decline"),
    path("<int:pk>/substitute/", actions.SubstituteAction.as_view(), name="substitute"),
    path("<int:pk>/group/", actions.FormGroupAction.as_view(), name="form_group"),
    path("<int:pk>/opinion/", actions.OpinionAction.as_view(), name="opinion"),
    path("<int:pk>/compile/", actions.CompileAction.as_view(), name="compile"),
    path("<int:pk>/site-visit/", actions.SiteVisitAction.as_view(), name="site_visit"),
    path("<int:pk>/decide/", actions.DecisionAction.as_view(), name="decide"),
    path("<int:pk>/compare/", versions.CompareView.as_view(), name="compare"),
    path("campaign/<int:pk>/score-sheet/", scoresheet.ScoreSheetView.as_view(), name="score_sheet"),
    path("<int:pk>/opinion.pdf", documents.OpinionDownloadView.as_view(), name="opinion_pdf"),
    path("photos/<int:pk>/", documents.SitePhotoView.as_view(), name="site_photo"),
    path("draws/<int:pk>/verify/", documents.DrawVerifyView.as_view(), name="draw_verify"),
]
