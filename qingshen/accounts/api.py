from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from qingshen.accounts.models import User
from qingshen.core.api import ScopedReadOnlyViewSet


class UserSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", default="", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "role", "organization", "organization_name",
                  "is_department_account", "is_active", "mobile", "email", "date_joined"]


class UserViewSet(ScopedReadOnlyViewSet):
    """账号（官员按辖区，其他单位只见本单位账号）；/api/users/me/ 返回当前账号。"""

    queryset = User.objects.all()
    serializer_class = UserSerializer
    select_related = ("organization",)
    required_permissions = {"list": "accounts.manage_staff", "retrieve": "accounts.manage_staff", "me": None}
    filterset_fields = ["role", "organization", "is_active"]

    @action(detail=False)
    def me(self, request):
        return Response(self.get_serializer(request.user).data)


ROUTES = [("users", UserViewSet)]
