from django.urls import path

from qingshen.rosters.views import members, tasks

app_name = "rosters"
urlpatterns = [
    path("", tasks.RosterTaskListView.as_view(), name="list"),
    path("<int:pk>/", tasks.UpperStepView.as_view(), name="detail"),
    path("<int:pk>/own/", tasks.OwnStepView.as_view(), name="own"),
    path("<int:pk>/members/", members.MembersStepView.as_view(), name="members"),
    path("<int:pk>/members/add/", members.ProposeView.as_view(), name="propose"),
    path("<int:pk>/members/<int:member_pk>/", members.MemberRowView.as_view(), name="member"),
    path("<int:pk>/members/<int:member_pk>/keep/", members.KeepView.as_view(), name="keep"),
    path("<int:pk>/members/<int:member_pk>/exclude/", members.ExcludeView.as_view(), name="exclude"),
    path("<int:pk>/members/<int:member_pk>/correct/", members.CorrectView.as_view(), name="correct"),
    path("<int:pk>/dispatch/", tasks.DispatchStepView.as_view(), name="dispatch"),
    path("<int:pk>/children/", tasks.ChildrenStepView.as_view(), name="children"),
    path("<int:pk>/submit/", tasks.SubmitStepView.as_view(), name="submit"),
    path("<int:pk>/review/", tasks.ReviewView.as_view(), name="review"),
    path("<int:pk>/rounds/<int:round>/", tasks.RoundView.as_view(), name="round"),
    path("<int:pk>/final-list.xlsx", tasks.FinalListView.as_view(fmt="xlsx"), name="final_list_xlsx"),
    path("<int:pk>/final-list.pdf", tasks.FinalListView.as_view(fmt="pdf"), name="final_list_pdf"),
    path("<int:pk>/files/<int:file_pk>/", tasks.FileView.as_view(), name="file"),
]
