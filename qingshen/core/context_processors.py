from django.conf import settings

from qingshen.core.menu import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    context = {"product_name": settings.QINGSHEN_PRODUCT_NAME, "product_full_name": settings.QINGSHEN_FULL_NAME}
    if user is not None and user.is_authenticated and not user.must_change_password:
        context["menu"] = menu_for(user, request.path)
    return context
