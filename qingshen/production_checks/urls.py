from django.urls import path

from qingshen.production_checks.views import detail, entry, listing

app_name = "production_checks"
urlpatterns = [
    path("", listing.CheckListView.as_view(), name="list"),
    path("export.xlsx", listing.CheckExportView.as_view(), name="export"),
    path("new/", entry.CheckEntryView.as_view(), name="new"),
    path("<int:pk>/", detail.CheckDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", entry.CheckEntryView.as_view(), name="edit"),
    path("<int:pk>/conclude/", detail.ConcludeView.as_view(), name="conclude"),
]
