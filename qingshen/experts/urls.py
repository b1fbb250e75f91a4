from django.urls import path

from qingshen.experts import views

app_name = "experts"
urlpatterns = [
    path("", views.ExpertListView.as_view(), name="list"),
    path("add/", views.ExpertFormView.as_view(), name="add"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/template/", views.ImportTemplateView.as_view(), name="import_template"),
    path("import/confirm/", views.ImportConfirmView.as_view(), name="import_confirm"),
    path("<int:pk>/", views.ExpertDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ExpertFormView.as_view(), name="edit"),
    path("<int:pk>/active/", views.SetActiveView.as_view(), name="set_active"),
    path("<int:pk>/account/", views.CreateAccountView.as_view(), name="create_account"),
]
