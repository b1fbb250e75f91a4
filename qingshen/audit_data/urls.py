"""审核数据 pages. A table's page is addressed through its project; a row's edit and delete
through the row itself (its project follows from it)."""

from django.urls import path

from qingshen.audit_data import views
from qingshen.audit_data.models import Balance, BalanceLine
from qingshen.audit_data.specs import TABLES

app_name = "audit_data"
urlpatterns = [
    path("<int:project_pk>/", views.IndexView.as_view(), name="index"),
    path("balances/<int:pk>/", views.BalanceView.as_view(), name="balance"),
]
for spec, page in views.table_views():
    urlpatterns.append(path(f"<int:project_pk>/{spec.slug}/", page, name=spec.code))
for spec in TABLES:
    if spec.kind:
        continue  # both balance pages share the balance's own edit and delete addresses
    edit, delete = views.row_views(spec.model)
    urlpatterns += [
        path(f"{spec.slug}/<int:pk>/edit/", edit, name=f"{spec.code}_edit"),
        path(f"{spec.slug}/<int:pk>/delete/", delete, name=f"{spec.code}_delete"),
    ]
for model, slug, name in ((Balance, "balances", "balance"), (BalanceLine, "balance-lines", "line")):
    edit, delete = views.row_views(model)
    urlpatterns += [
        path(f"{slug}/<int:pk>/edit/", edit, name=f"{name}_edit"),
        path(f"{slug}/<int:pk>/delete/", delete, name=f"{name}_delete"),
    ]
