import django_filters
from django.db.models import Q

from qingshen.applications.models import Application, Stage
from qingshen.core.forms import StyledForm
from qingshen.projects.filters import _campaigns, _regions


class ApplicationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="企业名称或项目编号", method="search")
    stage = django_filters.ChoiceFilter(label="阶段", choices=Stage.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=Application.Status.choices, empty_label="全部")
    campaign = django_filters.ModelChoiceFilter(label="清审批次", queryset=_campaigns, empty_label="全部",
                                                field_name="project__campaign")
    region = django_filters.ModelChoiceFilter(label="所属区县", queryset=_regions, empty_label="全部",
                                              field_name="project__enterprise__region")

    class Meta:
        model = Application
        fields = []
        form = StyledForm

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(project__enterprise__name__contains=value) | Q(project__number__startswith=value))
