import django_filters
from django.db.models import Q

from qingshen.campaigns.models import Campaign
from qingshen.core.forms import StyledForm
from qingshen.projects.models import AuditProject
from qingshen.regions.models import Region


def _campaigns(request):
    return Campaign.objects.restrict(request.user) if request is not None else Campaign.objects.none()


def _regions(request):
    return Region.objects.enterprise_locations(request.user) if request is not None else Region.objects.none()


class ProgressFilterSet(django_filters.FilterSet):
    """痕迹填报进度: by campaign, county (or a city-level unit without counties) and name/number."""

    q = django_filters.CharFilter(label="企业名称或项目编号", method="search")
    campaign = django_filters.ModelChoiceFilter(label="清审批次", queryset=_campaigns, empty_label="全部")
    region = django_filters.ModelChoiceFilter(label="所属区县", queryset=_regions, empty_label="全部",
                                              method="in_region")

    class Meta:
        model = AuditProject
        fields = []
        form = StyledForm

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(enterprise__name__contains=value) | Q(number__startswith=value))

    def in_region(self, queryset, name, region):
        # A county's code is never a city's, so one of the two matches exactly the place chosen.
        return queryset.filter(Q(county_code=region.code) | Q(city_code=region.code))
