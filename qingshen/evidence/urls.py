from django.urls import path

from qingshen.evidence import views

app_name = "evidence"
urlpatterns = [
    path("upload/", views.UploadView.as_view(), name="upload"),
    path("<int:pk>/replace/", views.ReplaceView.as_view(), name="replace"),
    path("<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/download/", views.DownloadView.as_view(), name="download"),
    path("<int:pk>/thumbnail/", views.ThumbnailView.as_view(), name="thumbnail"),
    path("<int:pk>/versions/", views.VersionsView.as_view(), name="versions"),
]
