from django.urls import path

from qingshen.notices.views import letters, scans, tasks

app_name = "notices"
urlpatterns = [
    path("", tasks.NoticeTaskListView.as_view(), name="list"),
    path("issue/", tasks.IssueView.as_view(), name="issue"),
    path("<int:pk>/", tasks.TaskDetailView.as_view(), name="detail"),
    path("<int:pk>/own/", tasks.OwnInfoView.as_view(), name="own"),
    path("<int:pk>/enterprises/", tasks.MemberListView.as_view(), name="enterprises"),
    path("<int:pk>/letters/", letters.LettersView.as_view(), name="letters"),
    path("<int:pk>/letters/generate/", letters.GenerateLetterView.as_view(), name="generate"),
    path("<int:pk>/letters/batch/", letters.LettersBatchView.as_view(), name="letters_batch"),
    path("<int:pk>/scans/upload/", scans.ScanUploadView.as_view(), name="scan_upload"),
    path("<int:pk>/dispatch/", tasks.DispatchView.as_view(), name="dispatch"),
    path("<int:pk>/files/<int:file_pk>/", tasks.AttachmentView.as_view(), name="attachment"),
    path("letters/<int:pk>/pdf/", letters.LetterPdfView.as_view(), name="letter_pdf"),
    path("letters/<int:pk>/stamped/", letters.StampedCopyView.as_view(), name="letter_stamped"),
    path("letters/<int:pk>/upload/", letters.StampedUploadView.as_view(), name="letter_upload"),
    path("letters/<int:pk>/regenerate/", letters.RegenerateView.as_view(), name="letter_regenerate"),
    path("scans/<int:pk>/", scans.ScanDetailView.as_view(), name="scan_detail"),
    path("scans/pages/<int:pk>/image/", scans.ScanPageImageView.as_view(), name="scan_page_image"),
    path("scans/pages/<int:pk>/assign/", scans.AssignPageView.as_view(), name="scan_page_assign"),
]
