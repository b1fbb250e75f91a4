from django.urls import path

from qingshen.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="list"),
    path("add/", views.EnterpriseFormView.as_view(), name="add"),
    path("export/", views.EnterpriseExportView.as_view(), name="export"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/template/", views.ImportTemplateView.as_view(), name="import_template"),
    path("import/<int:pk>/", views.ImportPreviewView.as_view(), name="import_preview"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.EnterpriseFormView.as_view(), name="edit"),
    path("<int:pk>/account/", views.CreateEnterpriseAccountView.as_view(), name="create_account"),
]
