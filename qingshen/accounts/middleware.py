from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

ALLOWED_PATHS = ("accounts:password_change", "accounts:logout")


class PasswordChangeRequiredMiddleware:
    """An account still on its initial password can do nothing but change it (or sign out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in ALLOWED_PATHS}
            if request.path not in allowed and not request.path.startswith("/static/"):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "请先登录系统修改初始密码。"}, status=403)
                return redirect("accounts:password_change")
        return self.get_response(request)
