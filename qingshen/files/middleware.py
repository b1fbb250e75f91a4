from django.conf import settings
from django.template.response import TemplateResponse


class UploadSizeLimitMiddleware:
    """Refuses a request body larger than QINGSHEN_MAX_UPLOAD_BYTES before Django reads it,
    with a Chinese page (413), so a 200 MB upload is neither stored nor half-processed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.QINGSHEN_MAX_UPLOAD_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            response = TemplateResponse(
                request, "files/too_large.html", {"limit_mb": limit // (1024 * 1024)}, status=413
            )
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"detail": f"上传的内容超过 {limit // (1024 * 1024)} MB，请压缩或拆分后再上传。"}, status=413)
            return response.render()
        return self.get_response(request)
