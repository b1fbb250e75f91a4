import django_filters
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from qingshen.campaigns.models import Campaign, CampaignEnterprise, HandlingLevel, Milestone, MilestoneKind, Reason
from qingshen.core.forms import StyledForm
from qingshen.regions.models import Region


class CampaignFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称或文号", method="search")
    year = django_filters.NumberFilter(label="年度")
    status = django_filters.ChoiceFilter(label="状态", choices=Campaign.Status.choices, empty_label="全部")

    class Meta:
        model = Campaign
        fields = []
        form = StyledForm

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__contains=value) | Q(document_number__contains=value))


def has_reason(queryset, code):
    """Members whose reasons include `code`. The list is JSON; its text contains the quoted
    code on every database (JSON containment is not available on SQLite)."""
    if code not in Reason.values:
        return queryset.none()
    return queryset.alias(reasons_text=Cast("reasons", TextField())).filter(reasons_text__contains=f'"{code}"')


class MemberFilterSet(django_filters.FilterSet):
    """The roster table's filters: 所属区县, 办理机构, 核定结果, 纳入原因."""

    q = django_filters.CharFilter(label="企业名称或信用代码", method="search")
    county = django_filters.ModelChoiceFilter(label="所属区县", field_name="enterprise__region",
                                              queryset=Region.objects.none(), empty_label="全部")
    handling_level = django_filters.ChoiceFilter(label="办理机构", choices=HandlingLevel.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="核定结果", choices=CampaignEnterprise.Status.choices,
                                         empty_label="全部")
    reason = django_filters.ChoiceFilter(label="纳入原因", choices=Reason.choices, empty_label="全部",
                                         method="filter_reason")

    class Meta:
        model = CampaignEnterprise
        fields = []
        form = StyledForm

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        # the places that appear on this list (one query when the form is drawn)
        field = self.filters["county"]
        field.queryset = Region.objects.filter(pk__in=self.queryset.values("enterprise__region_id")).order_by("code")

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(enterprise__name__contains=value) | Q(enterprise__uscc__startswith=value.upper()))

    def filter_reason(self, queryset, name, value):
        return has_reason(queryset, value)


class MemberApiFilterSet(MemberFilterSet):
    campaign = django_filters.NumberFilter(label="清审批次", field_name="campaign_id")


class MilestoneFilterSet(django_filters.FilterSet):
    campaign = django_filters.NumberFilter(label="清审批次", field_name="campaign_id")
    region = django_filters.CharFilter(label="设定区域代码", field_name="region_id")
    kind = django_filters.ChoiceFilter(label="节点", choices=MilestoneKind.choices)

    class Meta:
        model = Milestone
        fields = []
