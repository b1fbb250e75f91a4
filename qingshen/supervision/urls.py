from django.urls import path

from qingshen.supervision import views

app_name = "supervision"
urlpatterns = [
    path("due/", views.DueView.as_view(), name="due"),
]
