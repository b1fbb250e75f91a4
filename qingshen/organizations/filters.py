import django_filters
from django.db.models import Q

from qingshen.core.forms import StyledForm
from qingshen.organizations.models import Organization


class OrganizationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称或账号代码", method="search")
    kind = django_filters.ChoiceFilter(label="单位类型", choices=Organization.Kind.choices)

    class Meta:
        model = Organization
        fields = ["q", "kind"]
        form = StyledForm

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__contains=value) | Q(account_code__startswith=value))
