import django_filters
from django.db.models import Q

from qingshen.accounts.models import User
from qingshen.core.forms import StyledForm
from qingshen.core.roles import Role


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="账号、姓名或单位", method="search")
    role = django_filters.ChoiceFilter(label="角色", choices=Role.choices)
    is_active = django_filters.BooleanFilter(label="启用")

    class Meta:
        model = User
        fields = ["q", "role", "is_active"]
        form = StyledForm

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(username__startswith=value) | Q(full_name__contains=value) | Q(organization__name__contains=value)
        )
