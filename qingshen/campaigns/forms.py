from django import forms

from qingshen.campaigns.models import Campaign, HandlingLevel, MilestoneKind, Party, Reason, TargetRule
from qingshen.campaigns.services import EDITABLE_FIELDS
from qingshen.core.forms import StyledFormMixin
from qingshen.enterprises.models import Enterprise


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TargetRuleField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.code}. {obj.text}"


class CampaignForm(StyledFormMixin, forms.ModelForm):
    """新建 / 修改清审批次. Fields the roster or the notice already depend on come disabled, with
    the reason beside them (`locked`: {field: why}, from services.locked_fields)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    target_rules = TargetRuleField(label="审核目标", queryset=TargetRule.objects.all(), required=False)

    class Meta:
        model = Campaign
        fields = EDITABLE_FIELDS
        widgets = {
            "issue_date": DateInput, "deadline": DateInput,
            "requirements": forms.Textarea(attrs={"rows": 6}),
            "letter_preamble": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, locked=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update({"min": 2000, "max": 2100})
        self.fields["target_rules"].widget.attrs["class"] = "form-check-input"
        self.fields["code"].widget.attrs["style"] = "font-family: monospace"
        for name, why in (locked or {}).items():
            field = self.fields[name]
            field.disabled = True
            field.help_text = why
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError("请填写四位年度，如 2021。")
        return year

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        others = Campaign.objects.exclude(pk=self.instance.pk) if self.instance.pk else Campaign.objects.all()
        if others.filter(code=code).exists():
            raise forms.ValidationError("该批次代码已被其他清审批次使用。")
        return code

    def clean(self):
        data = super().clean()
        issued, deadline = data.get("issue_date"), data.get("deadline")
        if issued and deadline and deadline < issued:
            self.add_error("deadline", "截止日期不能早于发布日期。")
        return data

    def validate_unique(self):
        """The code's uniqueness is checked above, in the app's words, and again by the service."""


class AddMembersForm(StyledFormMixin, forms.Form):
    """The province adds registry enterprises (ticked in the search results, or every
    enterprise the search matches) with their reasons and handling level."""

    enterprises = forms.ModelMultipleChoiceField(
        label="企业", queryset=Enterprise.objects.none(), required=False, widget=forms.MultipleHiddenInput,
    )
    all_matching = forms.BooleanField(label="加入全部符合查询条件的企业", required=False)
    query = forms.CharField(required=False, widget=forms.HiddenInput)
    reasons = forms.MultipleChoiceField(
        label="纳入原因", choices=Reason.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一项纳入原因（双超、双有、综合能耗高、重点工作任务）。"},
        help_text="可多选",
    )
    handling_level = forms.ChoiceField(
        label="办理机构", choices=HandlingLevel.choices, initial=HandlingLevel.CITY, widget=forms.RadioSelect,
        error_messages={"required": "请选择办理机构（省直管或市直管）。"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprises"].queryset = Enterprise.objects.restrict(user)
        self.fields["enterprises"].error_messages["invalid_choice"] = "所选企业不存在或不在您的辖区内。"
        for name in ("reasons", "handling_level", "all_matching"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        if not data.get("all_matching") and not data.get("enterprises"):
            self.add_error(None, "请在查询结果中勾选要加入名单的企业。")
        return data

    def ticked(self) -> set[str]:
        """The enterprise ids the user ticked (kept ticked when the form comes back with errors)."""
        return set(self.data.getlist("enterprises")) if self.is_bound else set()


class MilestoneForm(StyledFormMixin, forms.Form):
    """设定本级时间节点. The province may give a step as days after the roster's publication
    (“自企业名单公布后 10 日内”); cities and counties give dates."""

    kind = forms.ChoiceField(label="节点", choices=MilestoneKind.choices)
    label = forms.CharField(label="名称", max_length=100, required=False,
                            help_text="“其他”节点必填，如“清洁生产审核合同原件报市生态环境局”")
    party = forms.ChoiceField(label="责任方", choices=[("", "按节点默认"), *Party.choices], required=False)
    due_date = forms.DateField(label="截止日期", required=False, widget=DateInput)
    days_after_publication = forms.IntegerField(
        label="或：名单公布后天数", required=False, min_value=1, max_value=365,
        help_text="仅省级：如“自企业名单公布后 10 日内”填 10（填写了截止日期时以截止日期为准）",
    )
    document_number = forms.CharField(label="依据文号", max_length=60, required=False,
                                      help_text="如 (2021)—34")

    def __init__(self, *args, level, **kwargs):
        super().__init__(*args, **kwargs)
        self.level = level
        if level != "province":
            del self.fields["days_after_publication"]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == MilestoneKind.EXTRA:
            if not (data.get("label") or "").strip():
                self.add_error("label", "请填写该时间节点的名称。")
            if not data.get("party"):
                self.add_error("party", "请选择“其他”节点的责任方。")
        if not data.get("due_date") and not data.get("days_after_publication") and "due_date" not in self.errors:
            self.add_error("due_date", "请填写截止日期。")
        return data
