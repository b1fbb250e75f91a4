import django_filters
from django.db.models import Q

from qingshen.core.forms import StyledForm
from qingshen.enterprises.filters import YesNoWidget
from qingshen.experts import services
from qingshen.experts.models import Expert, Field
from qingshen.industries.models import Industry
from qingshen.regions.models import Region


def _pools(request):
    return services.pools_for(request.user) if request is not None else Region.objects.none()


def _divisions():
    return [(code, f"{code} {name}") for code, name in
            Industry.objects.filter(level=Industry.Level.DIVISION).order_by("code").values_list("code", "name")]


class ExpertFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名或工作单位", method="search")
    pool = django_filters.ModelChoiceFilter(label="专家库", queryset=_pools, empty_label="全部")
    field = django_filters.ChoiceFilter(label="专业领域", choices=Field.choices, empty_label="全部", method="with_field")
    industry = django_filters.ChoiceFilter(label="熟悉行业", choices=_divisions, empty_label="全部",
                                           method="with_industry")
    is_active = django_filters.BooleanFilter(label="在库", widget=YesNoWidget)

    class Meta:
        model = Expert
        fields = []
        form = StyledForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["pool"].label_from_instance = services.pool_label

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__contains=value) | Q(employer__contains=value)) if value else queryset

    def with_field(self, queryset, name, value):
        # The codes are quoted words in the stored JSON list, so a text match finds exactly
        # them (JSON containment is not available on SQLite).
        return queryset.filter(fields__icontains=f'"{value}"')

    def with_industry(self, queryset, name, value: str):
        return queryset.filter(industries__code=value).distinct()
