"""Forms of the 投产/复产核查 pages. The values table is the benchmarking app's `AnswersForm`
(the same fields, checks and Chinese messages naming the indicator row); this module adds the
check's own fields, the conclusion and the list filters."""

import django_filters
from django import forms

from qingshen.benchmarking.models import IndicatorSystem
from qingshen.campaigns.models import Campaign
from qingshen.core.forms import StyledForm, StyledFormMixin
from qingshen.enterprises.models import Enterprise
from qingshen.production_checks.models import ProductionCheck

NO_SYSTEM = "本行业无清洁生产评价指标体系（与同行业对比）"
PENDING = "pending"


class CheckForm(StyledFormMixin, forms.Form):
    """What is checked and against what. `shown_system` / `shown_enterprise` name the values table
    and water context the page was drawn with: when the user picks another system or enterprise,
    the page is redrawn for it (nothing is saved) instead of scoring one table's values against
    another's indicators."""

    enterprise = forms.ModelChoiceField(Enterprise.objects.none(), label="企业",
                                        error_messages={"required": "请选择企业。",
                                                        "invalid_choice": "所选企业不在您的辖区内。"},
                                        help_text="新建企业请先在企业名录中新增")
    kind = forms.ChoiceField(label="核查类型", choices=ProductionCheck.Kind.choices,
                             error_messages={"required": "请选择核查类型。"})
    project_name = forms.CharField(label="项目名称", required=False, max_length=200,
                                   help_text="新建、改建、扩建项目必填，如“年产 5 万吨……项目”；停产企业复产可不填")
    campaign = forms.ModelChoiceField(Campaign.objects.none(), label="适用对标目标的清审批次", required=False,
                                      help_text="不选择时按默认目标：整体 II 级；涉水指标园区内 II 级、园区外 I 级")
    system = forms.ModelChoiceField(IndicatorSystem.objects.none(), label="指标体系", required=False)
    in_approved_park = forms.BooleanField(label="位于规划环评通过审查的工业园区", required=False)
    centralized_treatment = forms.BooleanField(label="废水进入污水集中治理设施", required=False)
    peer_comparison = forms.CharField(label="与同行业对比说明", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                      help_text="无指标体系时填写：对比的同行业企业（或行业数据）、主要指标及本企业所处水平")
    conclusion = forms.ChoiceField(label="核查结论", required=False, widget=forms.RadioSelect,
                                   choices=ProductionCheck.Conclusion.choices)
    opinion = forms.CharField(label="核查意见", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="无指标体系时必填：判断的理由")
    shown_system = forms.CharField(required=False, widget=forms.HiddenInput)
    shown_enterprise = forms.CharField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.restrict(user).select_related("region")
        self.fields["enterprise"].label_from_instance = lambda e: f"{e.name}（{e.region.name}）"
        self.fields["campaign"].queryset = Campaign.objects.restrict(user)
        self.fields["campaign"].empty_label = "不指定（按默认目标）"
        self.fields["system"].queryset = IndicatorSystem.objects.order_by("code", "-version")
        self.fields["system"].empty_label = NO_SYSTEM
        self.fields["system"].label_from_instance = (
            lambda s: f"{s.name}（第 {s.version} 版，{s.get_status_display()}）")

    def clean(self):
        cleaned = super().clean()
        kind, name = cleaned.get("kind"), (cleaned.get("project_name") or "").strip()
        cleaned["project_name"] = name
        if kind in ProductionCheck.PROJECT_KINDS and not name:
            self.add_error("project_name", f"{ProductionCheck.Kind(kind).label}须填写项目名称。")
        return cleaned


class ConcludeForm(StyledFormMixin, forms.Form):
    """The conclusion on a saved draft (the detail page)."""

    conclusion = forms.ChoiceField(label="核查结论", widget=forms.RadioSelect, choices=ProductionCheck.Conclusion.choices,
                                   error_messages={"required": "请选择核查结论。"})
    opinion = forms.CharField(label="核查意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CheckFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="企业或项目名称", method="search")
    kind = django_filters.ChoiceFilter(label="核查类型", choices=ProductionCheck.Kind.choices, empty_label="全部")
    conclusion = django_filters.ChoiceFilter(
        label="核查结论", empty_label="全部", method="by_conclusion",
        choices=[("met", "达到（满足前置条件）"), ("not_met", "未达到（不满足前置条件）"), (PENDING, "未作结论")])
    enterprise = django_filters.NumberFilter(field_name="enterprise", widget=forms.HiddenInput)

    class Meta:
        model = ProductionCheck
        fields = []
        form = StyledForm

    def search(self, queryset, name, value):
        from django.db.models import Q

        value = value.strip()
        return queryset.filter(Q(enterprise__name__contains=value) | Q(project_name__contains=value))

    def by_conclusion(self, queryset, name, value):
        return queryset.filter(conclusion="" if value == PENDING else value)
