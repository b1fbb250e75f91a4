from django.urls import path

from qingshen.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.ApplicationListView.as_view(), name="list"),
    path("project/<int:project_pk>/<str:stage>/", views.StageView.as_view(), name="stage"),
    path("<int:pk>/", views.ApplicationDetailView.as_view(), name="detail"),
]
