from django.urls import path

from qingshen.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.MessageListView.as_view(), name="list"),
    path("<int:pk>/open/", views.MessageOpenView.as_view(), name="open"),
    path("read-all/", views.MarkAllReadView.as_view(), name="read_all"),
    path("sms/", views.SmsListView.as_view(), name="sms"),
]
