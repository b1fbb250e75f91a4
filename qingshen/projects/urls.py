from django.urls import path

from qingshen.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="detail"),
    path("activate/", views.ActivateView.as_view(), name="activate"),
    path("tasks/", views.TaskListView.as_view(), name="tasks"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task"),
    path("tasks/<int:pk>/letter/", views.LetterFileView.as_view(), {"kind": "original"}, name="letter"),
    path("tasks/<int:pk>/letter/stamped/", views.LetterFileView.as_view(), {"kind": "stamped"},
         name="letter_stamped"),
    path("tasks/<int:pk>/files/<int:file_pk>/", views.NoticeFileView.as_view(), name="notice_file"),
    path("statistics/", views.StatisticsIndexView.as_view(), name="statistics"),
    path("statistics/<int:pk>/", views.StatisticsView.as_view(), name="statistics_campaign"),
    path("statistics/<int:pk>/enterprises/", views.StatisticsEnterprisesView.as_view(),
         name="statistics_enterprises"),
    path("statistics/<int:pk>/export/", views.StatisticsExportView.as_view(), name="statistics_export"),
]
