from django.urls import path

from qingshen.industries import views

app_name = "industries"
urlpatterns = [path("", views.IndustryListView.as_view(), name="list")]
