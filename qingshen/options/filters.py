import django_filters
from django.db.models import Q

from qingshen.core.forms import StyledForm
from qingshen.options.models import Option, Phase
from qingshen.projects.models import AuditProject


def _projects(request):
    return AuditProject.objects.restrict(request.user) if request is not None else AuditProject.objects.none()


class OptionFilterSet(django_filters.FilterSet):
    """The ledger's filters (the page is about one project already)."""

    q = django_filters.CharFilter(label="编号或名称", method="search")
    cost_class = django_filters.ChoiceFilter(label="方案类别", choices=Option.CostClass.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="实施状态", choices=Option.Status.choices, empty_label="全部")
    phase = django_filters.ChoiceFilter(label="提出阶段", choices=Phase.choices, empty_label="全部")

    class Meta:
        model = Option
        fields = []
        form = StyledForm

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(code__icontains=value) | Q(name__contains=value)) if value else queryset


class OptionApiFilterSet(OptionFilterSet):
    """The API's: the same, plus the project (among those the caller may see)."""

    project = django_filters.ModelChoiceFilter(label="清洁生产审核项目", queryset=_projects)
