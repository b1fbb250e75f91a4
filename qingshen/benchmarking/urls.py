from django.urls import path

from qingshen.benchmarking.views import project, statistics, systems, targets

app_name = "benchmarking"
urlpatterns = [
    path("systems/", systems.SystemListView.as_view(), name="systems"),
    path("systems/import/", systems.SystemImportView.as_view(), name="import"),
    path("systems/import/confirm/", systems.SystemImportConfirmView.as_view(), name="import_confirm"),
    path("systems/<int:pk>/", systems.SystemDetailView.as_view(), name="system"),
    path("systems/<int:pk>/status/", systems.SystemStatusView.as_view(), name="system_status"),
    path("systems/<int:pk>/try/", systems.SystemTryView.as_view(), name="try"),
    path("systems/<int:pk>/export.<str:fmt>", systems.SystemExportView.as_view(), name="export"),
    path("", project.ProjectIndexView.as_view(), name="index"),
    path("project/<int:project_pk>/", project.ProjectBenchmarkView.as_view(), name="project"),
    path("project/<int:project_pk>/<str:stage>/", project.BenchmarkEditView.as_view(), name="edit"),
    path("project/<int:project_pk>/<str:stage>/review/", project.BenchmarkReviewView.as_view(), name="review"),
    path("campaign/<int:pk>/target/", targets.TargetView.as_view(), name="target"),
    path("statistics/", statistics.StatisticsView.as_view(), name="statistics"),
    path("statistics/<int:pk>/", statistics.StatisticsListView.as_view(), name="statistics_list"),
]
