from django.urls import path

from qingshen.enforcement import views

app_name = "enforcement"
urlpatterns = [
    path("", views.ListPage.as_view(), name="list"),
    path("export/", views.ExportView.as_view(), name="export"),
    path("lines/<int:pk>/history/", views.HistoryView.as_view(), name="history"),
    path("handovers/", views.HandoverListView.as_view(), name="handovers"),
    path("handovers/new/", views.HandoverCreateView.as_view(), name="handover_create"),
    path("handovers/<int:pk>/", views.HandoverDetailView.as_view(), name="handover_detail"),
    path("handovers/<int:pk>/file/", views.HandoverFileView.as_view(), name="handover_file"),
]
