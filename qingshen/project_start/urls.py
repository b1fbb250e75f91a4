"""/project-start/: the list, the six steps of one project (`pk` = the audit project), its
信息公布 and 审核合同 pages, and the edit / delete addresses of each kind of row (`pk` = the row)."""

from django.urls import path

from qingshen.project_start import views

app_name = "project_start"
urlpatterns = [
    path("", views.ProjectStartListView.as_view(), name="list"),
    path("<int:pk>/", views.BasicView.as_view(), name="detail"),
    path("<int:pk>/products/", views.ProductsView.as_view(), name="products"),
    path("<int:pk>/eia/", views.EiaView.as_view(), name="eia"),
    path("<int:pk>/monitoring/", views.MonitoringView.as_view(), name="monitoring"),
    path("<int:pk>/acceptance/", views.AcceptanceView.as_view(), name="acceptance"),
    path("<int:pk>/submit/", views.SubmitView.as_view(), name="submit"),
    path("<int:pk>/disclosures/", views.RecordsView.as_view(kind="disclosures"), name="disclosures"),
    path("<int:pk>/contracts/", views.RecordsView.as_view(kind="contracts"), name="contracts"),
]
for kind in ("products", "eia", "monitoring", "acceptance", "disclosures", "contracts"):
    urlpatterns += [
        path(f"{kind}/<int:pk>/edit/", views.RowEditView.as_view(kind=kind), name=f"{kind}_edit"),
        path(f"{kind}/<int:pk>/delete/", views.RowDeleteView.as_view(kind=kind), name=f"{kind}_delete"),
    ]
