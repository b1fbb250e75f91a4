from django.conf import settings

from qingshen.core.menu import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    context = {
        "product_name": settings.QINGSHEN_PRODUCT_NAME,
        "product_full_name": settings.QINGSHEN_FULL_NAME,
        "lockout_policy": lockout_policy(),
    }
    if user is not None and user.is_authenticated and not user.must_change_password:
        context["menu"] = menu_for(user, request.path)
    return context


def lockout_policy() -> dict:
    """The sign-in throttle as users are told about it (from the django-axes settings)."""
    return {
        "failures": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
