import django_filters
from django.db.models import Q

from qingshen.campaigns.models import Campaign, CampaignEnterprise
from qingshen.core.forms import StyledForm
from qingshen.rosters.models import LEVEL_LABELS, RosterTask


def _campaigns(request):
    if request is None:
        return Campaign.objects.none()
    return Campaign.objects.restrict(request.user).order_by("-year", "-created_at")


class RosterTaskFilterSet(django_filters.FilterSet):
    """名单核定任务: a department sees its own tasks by default (待确认 = work to do); 辖区内全部
    adds the tasks of the levels below it."""

    SCOPES = [("", "本单位任务"), ("all", "辖区内全部任务")]

    campaign = django_filters.ModelChoiceFilter(label="清审批次", queryset=_campaigns, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=RosterTask.Status.choices, empty_label="全部")
    level = django_filters.ChoiceFilter(label="层级", choices=list(LEVEL_LABELS.items()), empty_label="全部")
    scope = django_filters.ChoiceFilter(label="范围", choices=SCOPES[1:], empty_label="本单位任务", method="by_scope")

    class Meta:
        model = RosterTask
        fields = []
        form = StyledForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        organization = getattr(self.request.user, "organization", None) if self.request else None
        self.own_organization = organization if organization is not None and organization.is_department else None

    @property
    def qs(self):
        queryset = super().qs
        scope = self.form.cleaned_data.get("scope") if self.form.is_valid() else ""
        if self.own_organization is not None and scope != "all":
            queryset = queryset.filter(organization=self.own_organization)
        return queryset

    def by_scope(self, queryset, name, value):
        return queryset  # applied in qs (the default, no value, is the narrower scope)


class MemberFilterSet(django_filters.FilterSet):
    """企业清单: search and narrow the list being checked."""

    q = django_filters.CharFilter(label="企业名称或信用代码", method="search")
    status = django_filters.ChoiceFilter(label="核定结果", choices=CampaignEnterprise.Status.choices,
                                         empty_label="全部")
    county = django_filters.ChoiceFilter(label="所属区县", field_name="county_code", empty_label="全部",
                                         choices=[])

    class Meta:
        model = CampaignEnterprise
        fields = []
        form = StyledForm

    def __init__(self, data=None, queryset=None, *, counties=(), **kwargs):
        super().__init__(data, queryset, **kwargs)
        if counties:
            self.filters["county"].extra["choices"] = list(counties)
        else:
            del self.filters["county"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(enterprise__name__contains=value) | Q(enterprise__uscc__startswith=value.upper()))
