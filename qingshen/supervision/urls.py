from django.urls import path

from qingshen.supervision import views, views_dashboard

app_name = "supervision"
urlpatterns = [
    path("due/", views.DueView.as_view(), name="due"),
    path("dashboard/", views_dashboard.DashboardView.as_view(), name="dashboard"),
    path("dashboard/enterprises/", views_dashboard.DashboardListView.as_view(), name="dashboard_list"),
    path("dashboard/export/", views_dashboard.DashboardExportView.as_view(), name="dashboard_export"),
    path("dashboard/remind/", views_dashboard.RemindView.as_view(), name="remind"),
]
