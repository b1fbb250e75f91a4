from django.urls import path

from qingshen.audit_trail import views

app_name = "audit_trail"
urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("<str:object_type>/<str:object_id>/", views.ObjectHistoryView.as_view(), name="history"),
]
