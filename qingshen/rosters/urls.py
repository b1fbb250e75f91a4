from django.urls import path

from qingshen.rosters import views

app_name = "rosters"
urlpatterns = [
    path("", views.RosterTaskListView.as_view(), name="list"),
    path("<int:pk>/", views.UpperStepView.as_view(), name="detail"),
    path("<int:pk>/own/", views.OwnStepView.as_view(), name="own"),
    path("<int:pk>/members/", views.MembersStepView.as_view(), name="members"),
    path("<int:pk>/members/add/", views.ProposeView.as_view(), name="propose"),
    path("<int:pk>/members/<int:member_pk>/", views.MemberRowView.as_view(), name="member"),
    path("<int:pk>/members/<int:member_pk>/keep/", views.KeepView.as_view(), name="keep"),
    path("<int:pk>/members/<int:member_pk>/exclude/", views.ExcludeView.as_view(), name="exclude"),
    path("<int:pk>/members/<int:member_pk>/correct/", views.CorrectView.as_view(), name="correct"),
    path("<int:pk>/dispatch/", views.DispatchStepView.as_view(), name="dispatch"),
    path("<int:pk>/children/", views.ChildrenStepView.as_view(), name="children"),
    path("<int:pk>/submit/", views.SubmitStepView.as_view(), name="submit"),
    path("<int:pk>/review/", views.ReviewView.as_view(), name="review"),
    path("<int:pk>/rounds/<int:round>/", views.RoundView.as_view(), name="round"),
    path("<int:pk>/final-list.xlsx", views.FinalListView.as_view(fmt="xlsx"), name="final_list_xlsx"),
    path("<int:pk>/final-list.pdf", views.FinalListView.as_view(fmt="pdf"), name="final_list_pdf"),
    path("<int:pk>/files/<int:file_pk>/", views.FileView.as_view(), name="file"),
]
