"""项目启动 pages: the wizard (wizard.py), row editing and the record pages (rows.py)."""

from qingshen.project_start.views.rows import RecordsView, RowDeleteView, RowEditView
from qingshen.project_start.views.wizard import (
    AcceptanceView, BasicView, EiaView, MonitoringView, ProductsView, ProjectStartListView, SubmitView,
)

__all__ = ["AcceptanceView", "BasicView", "EiaView", "MonitoringView", "ProductsView", "ProjectStartListView",
           "RecordsView", "RowDeleteView", "RowEditView", "SubmitView"]
