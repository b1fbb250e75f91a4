"""The API's default permission class (its own module: DRF imports it while loading settings)."""

from rest_framework import permissions


class RolePermission(permissions.BasePermission):
    message = "您没有执行该操作的权限。"

    DEFAULT_ACTIONS = {
        "list": "view", "retrieve": "view", "create": "add",
        "update": "change", "partial_update": "change", "destroy": "delete",
    }

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if user.must_change_password:
            self.message = "请先登录系统修改初始密码。"
            return False
        perm = self.required_permission(view)
        return perm is None or user.has_perm(perm)

    def required_permission(self, view):
        explicit = getattr(view, "required_permissions", {})
        action = getattr(view, "action", None)
        if action in explicit:
            return explicit[action]
        model = getattr(getattr(view, "queryset", None), "model", None)
        verb = self.DEFAULT_ACTIONS.get(action)
        if model is None or verb is None:
            return explicit.get("*")
        return f"{model._meta.app_label}.{verb}_{model._meta.model_name}"
