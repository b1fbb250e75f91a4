from django.urls import path

from qingshen.permits.views import changes, reports

app_name = "permits"
urlpatterns = [
    path("", changes.ChangeListView.as_view(), name="list"),
    path("export/", changes.ChangeExportView.as_view(), name="export"),
    path("lines/<int:pk>/", changes.RecordView.as_view(), name="record"),
    path("changes/<int:pk>/file/", changes.ChangeFileView.as_view(), name="file"),
    path("report/", reports.OwnReportView.as_view(), name="report"),
    path("reports/<int:pk>/", reports.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/export/", reports.ReportExportView.as_view(), name="report_export"),
    path("reports/<int:pk>/return/", reports.ReturnView.as_view(), name="report_return"),
    path("received/", reports.ReceivedView.as_view(), name="received"),
]
