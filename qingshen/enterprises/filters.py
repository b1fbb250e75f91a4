import django_filters
from django_filters.widgets import BooleanWidget
from django.db.models import Q

from qingshen.core.forms import StyledForm
from qingshen.enterprises.choices import PermitCategory, Status
from qingshen.enterprises.models import Enterprise
from qingshen.industries.models import Industry
from qingshen.regions.models import Region



class YesNoWidget(BooleanWidget):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", "全部"), ("true", "是"), ("false", "否")]


def flag(label):
    return django_filters.BooleanFilter(label=label, widget=YesNoWidget)


def _regions(request):
    if request is None:
        return Region.objects.all()
    return Region.objects.enterprise_locations(request.user)


def _division_choices():
    return [(code, f"{code} {name}") for code, name in
            Industry.objects.filter(level=Industry.Level.DIVISION).order_by("code").values_list("code", "name")]


class EnterpriseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="企业名称或信用代码", method="search")
    region = django_filters.ModelChoiceFilter(label="所属区县", queryset=_regions, empty_label="全部")
    division = django_filters.ChoiceFilter(
        label="行业大类", choices=_division_choices, field_name="industry__division_code", empty_label="全部",
    )
    industry_code = django_filters.CharFilter(label="行业代码", field_name="industry__code", lookup_expr="startswith")
    status = django_filters.ChoiceFilter(label="企业状态", choices=Status.choices, empty_label="全部")
    double_exceed = flag("双超")
    double_toxic = flag("双有")
    water_related = flag("涉水")
    in_approved_park = flag("位于工业园区")
    centralized_treatment = flag("进入集中治理设施")
    permit_category = django_filters.ChoiceFilter(label="排污许可类别", choices=PermitCategory.choices, empty_label="全部")

    class Meta:
        model = Enterprise
        fields = []
        form = StyledForm

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__contains=value) | Q(uscc__startswith=value.upper()))
