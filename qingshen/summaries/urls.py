from django.urls import path

from qingshen.summaries import views

app_name = "summaries"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("received/", views.ReceivedView.as_view(), name="received"),
    path("campaign/<int:campaign_pk>/<str:kind>/", views.EditView.as_view(), name="edit"),
    path("<int:pk>/", views.DetailView.as_view(), name="detail"),
    path("<int:pk>/return/", views.ReturnView.as_view(), name="return"),
    path("<int:pk>/pdf/", views.DocumentView.as_view(extension="pdf"), name="pdf"),
    path("<int:pk>/xlsx/", views.DocumentView.as_view(extension="xlsx"), name="xlsx"),
]
