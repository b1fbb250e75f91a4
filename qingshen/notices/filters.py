import django_filters
from django.db.models import Q

from qingshen.campaigns.models import Campaign, CampaignEnterprise, HandlingLevel
from qingshen.core.forms import StyledForm
from qingshen.enterprises.choices import Status as EnterpriseStatus
from qingshen.enterprises.filters import YesNoWidget
from qingshen.industries.models import Industry
from qingshen.notices.models import NoticeLetter, NoticeTask, ScanBatch, ScanPage
from qingshen.regions.models import Region

LEVELS = [("province", "省级"), ("city", "市级"), ("county", "县级")]


def _campaigns(request):
    if request is None:
        return Campaign.objects.all()
    return Campaign.objects.restrict(request.user)


class NoticeTaskFilterSet(django_filters.FilterSet):
    campaign = django_filters.ModelChoiceFilter(label="清审批次", queryset=_campaigns, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=NoticeTask.Status.choices, empty_label="全部")
    level = django_filters.ChoiceFilter(label="层级", choices=LEVELS, empty_label="全部")
    organization = django_filters.CharFilter(label="承办单位", field_name="organization__name", lookup_expr="contains")

    class Meta:
        model = NoticeTask
        fields = []
        form = StyledForm


def _division_choices():
    return [(code, f"{code} {name}") for code, name in
            Industry.objects.filter(level=Industry.Level.DIVISION).order_by("code").values_list("code", "name")]


class MemberFilterSet(django_filters.FilterSet):
    """企业名单 filters, as the seed's screen: 企业名称, 办理机构, 清审行业, 行业代码, 行政区划."""

    name = django_filters.CharFilter(label="企业名称", method="search")
    handling_level = django_filters.ChoiceFilter(label="办理机构", choices=HandlingLevel.choices, empty_label="全部")
    division = django_filters.ChoiceFilter(label="清审行业", choices=_division_choices,
                                           field_name="enterprise__industry__division_code", empty_label="全部")
    industry_code = django_filters.CharFilter(label="行业代码", field_name="enterprise__industry__code",
                                              lookup_expr="startswith")
    region = django_filters.ModelChoiceFilter(label="行政区划", queryset=Region.objects.none(),
                                              method="in_region", empty_label="全部")
    status = django_filters.ChoiceFilter(label="企业状态", choices=EnterpriseStatus.choices,
                                         field_name="enterprise__status", empty_label="全部")
    double_exceed = django_filters.BooleanFilter(label="双超", field_name="enterprise__double_exceed", widget=YesNoWidget)
    double_toxic = django_filters.BooleanFilter(label="双有", field_name="enterprise__double_toxic", widget=YesNoWidget)

    class Meta:
        model = CampaignEnterprise
        fields = []
        form = StyledForm

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        if region is not None and region.level == "county":
            del self.filters["region"]  # a county has no divisions below it
            self.form.fields.pop("region", None)
        elif region is not None:
            below = Region.objects.filter(**{f"{region.level}_code": region.code}).exclude(pk=region.pk)
            self.filters["region"].queryset = below.order_by("code")
            self.form.fields["region"].queryset = below.order_by("code")
            self.form.fields["region"].label_from_instance = lambda r: f"{r.code} {r.name}"

    def search(self, queryset, name, value):
        return queryset.filter(enterprise__name__contains=value.strip())

    def in_region(self, queryset, name, value):
        return queryset.filter(**{f"{value.level}_code": value.code})



class LetterFilterSet(django_filters.FilterSet):
    """API filters for letters."""

    task = django_filters.NumberFilter(field_name="task_id", label="通知任务")
    number = django_filters.CharFilter(label="编号", lookup_expr="startswith")
    stamped = django_filters.BooleanFilter(label="已上传盖章版", method="has_stamped")

    class Meta:
        model = NoticeLetter
        fields = []

    def has_stamped(self, queryset, name, value):
        condition = Q(stamped_copy__isnull=False)
        return queryset.filter(condition) if value else queryset.exclude(condition)


class ScanBatchFilterSet(django_filters.FilterSet):
    task = django_filters.NumberFilter(field_name="task_id", label="通知任务")

    class Meta:
        model = ScanBatch
        fields = []


class ScanPageFilterSet(django_filters.FilterSet):
    batch = django_filters.NumberFilter(field_name="batch_id", label="批量上传")
    outcome = django_filters.ChoiceFilter(choices=ScanPage.Outcome.choices, label="结果")

    class Meta:
        model = ScanPage
        fields = []
