from django.urls import path

from qingshen.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.NoticeTaskListView.as_view(), name="list"),
    path("issue/", views.IssueView.as_view(), name="issue"),
    path("<int:pk>/", views.TaskDetailView.as_view(), name="detail"),
    path("<int:pk>/own/", views.OwnInfoView.as_view(), name="own"),
    path("<int:pk>/enterprises/", views.MemberListView.as_view(), name="enterprises"),
    path("<int:pk>/letters/", views.LettersView.as_view(), name="letters"),
    path("<int:pk>/letters/generate/", views.GenerateLetterView.as_view(), name="generate"),
    path("<int:pk>/letters/batch/", views.LettersBatchView.as_view(), name="letters_batch"),
    path("<int:pk>/scans/upload/", views.ScanUploadView.as_view(), name="scan_upload"),
    path("<int:pk>/dispatch/", views.DispatchView.as_view(), name="dispatch"),
    path("<int:pk>/files/<int:file_pk>/", views.AttachmentView.as_view(), name="attachment"),
    path("letters/<int:pk>/pdf/", views.LetterPdfView.as_view(), name="letter_pdf"),
    path("letters/<int:pk>/stamped/", views.StampedCopyView.as_view(), name="letter_stamped"),
    path("letters/<int:pk>/upload/", views.StampedUploadView.as_view(), name="letter_upload"),
    path("letters/<int:pk>/regenerate/", views.RegenerateView.as_view(), name="letter_regenerate"),
    path("scans/<int:pk>/", views.ScanDetailView.as_view(), name="scan_detail"),
    path("scans/pages/<int:pk>/image/", views.ScanPageImageView.as_view(), name="scan_page_image"),
    path("scans/pages/<int:pk>/assign/", views.AssignPageView.as_view(), name="scan_page_assign"),
]
