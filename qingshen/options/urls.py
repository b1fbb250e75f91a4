from django.urls import path

from qingshen.options import views

app_name = "options"
urlpatterns = [
    path("", views.OptionIndexView.as_view(), name="index"),
    path("summary/", views.SummaryView.as_view(), name="summary"),
    path("project/<int:project_pk>/", views.LedgerView.as_view(), name="ledger"),
    path("project/<int:project_pk>/add/", views.OptionFormView.as_view(), name="add"),
    path("<int:pk>/", views.OptionDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.OptionFormView.as_view(), name="edit"),
    path("<int:pk>/delete/", views.OptionDeleteView.as_view(), name="delete"),
    path("<int:pk>/feasibility/", views.FeasibilityView.as_view(), name="feasibility"),
    path("<int:pk>/feasibility/delete/", views.FeasibilityDeleteView.as_view(), name="feasibility_delete"),
]
