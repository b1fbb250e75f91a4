from django.urls import path

from qingshen.filings.views import checklists, filings

app_name = "filings"
urlpatterns = [
    path("", filings.ProgressView.as_view(), name="progress"),
    path("projects/<int:pk>/", filings.ProjectFilingsView.as_view(), name="project"),
    path("<int:pk>/", filings.PhaseView.as_view(), name="phase"),
    path("<int:pk>/submit/", filings.SubmitView.as_view(), name="submit"),
    path("checklists/", checklists.ChecklistIndexView.as_view(), name="checklists"),
    path("checklists/<int:pk>/", checklists.CampaignChecklistView.as_view(), name="checklist"),
    path("checklists/<int:pk>/copy/", checklists.CampaignActionView.as_view(action="copy"), name="checklist_copy"),
    path("checklists/<int:pk>/discard/", checklists.CampaignActionView.as_view(action="discard"),
         name="checklist_discard"),
    path("checklists/<int:pk>/items/add/", checklists.ItemFormView.as_view(), name="item_add"),
    path("checklist-items/<int:pk>/edit/", checklists.ItemFormView.as_view(editing=True), name="item_edit"),
    path("checklist-items/<int:pk>/delete/", checklists.ItemActionView.as_view(action="delete"), name="item_delete"),
    path("checklist-items/<int:pk>/move/", checklists.ItemActionView.as_view(action="move"), name="item_move"),
]
