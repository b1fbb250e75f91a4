"""Forms of the benchmarking pages.

`AnswersForm` is built from an indicator system's definition: per indicator, whether it
applies (only for those that may not), the value (quantitative) or the requirements met
(qualitative, one checkbox per distinct requirement of any level). It is used by the
enterprise's entry, the trial calculator and — with `confirm=True`, qualitative only — the
reviewer's confirmation.
"""

from decimal import Decimal, InvalidOperation

from django import forms

from qingshen.benchmarking import definition as spec
from qingshen.benchmarking.models import Benchmark, CampaignTarget, IndicatorSystem
from qingshen.core.forms import StyledFormMixin

DECIMAL_INPUT = {"inputmode": "decimal", "step": "any"}
#: The answer fields are added after StyledFormMixin has styled the form's fields, so they carry
#: Tabler's classes themselves (without them an input is drawn bare and a checkbox above its label).
CHECK = {"class": "form-check-input"}
UPLOAD_TYPES = ".xlsx,.yaml,.yml"


def requirements_of(indicator: dict) -> list[str]:
    """The distinct requirements of a qualitative indicator, level I's first."""
    seen = []
    for level in spec.LEVELS:
        for text in indicator["levels"].get(level) or []:
            if text not in seen:
                seen.append(text)
    return seen


class AnswersForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, definition: dict, *args, answers: dict | None = None, confirm: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition, self.confirm = definition, confirm
        self.rows = []  # (group, indicator, {part: bound field})
        answers = answers or {}
        for group, indicator in spec.indicators(definition):
            seq, parts = indicator["seq"], {}
            answer = answers.get(seq) or {}
            qualitative = indicator["kind"] == spec.QUALITATIVE
            if confirm and not qualitative:
                self.rows.append((group, indicator, parts))
                continue
            if (indicator["optional"] or indicator["share"]) and not confirm:
                name = f"a{seq}_applicable"
                self.fields[name] = forms.BooleanField(label="适用", required=False, widget=forms.CheckboxInput(CHECK),
                                                       initial=answer.get("applicable", True))
                parts["applicable"] = name
            if qualitative:
                name = f"a{seq}_met"
                self.fields[name] = forms.MultipleChoiceField(
                    label=indicator["name"], required=False, widget=forms.CheckboxSelectMultiple(CHECK),
                    choices=[(text, text) for text in requirements_of(indicator)], initial=answer.get("met", []))
                parts["met"] = name
            else:
                name = f"a{seq}_value"
                value = answer.get("value")
                self.fields[name] = forms.CharField(
                    label=f"{indicator['name']}（{indicator['unit']}）", required=False, max_length=30,
                    initial="" if value is None else f"{Decimal(value).normalize():f}",
                    widget=forms.TextInput(attrs={**DECIMAL_INPUT, "class": "form-control"}))
                parts["value"] = name
            self.rows.append((group, indicator, parts))

    def clean(self):
        cleaned = super().clean()
        for group, indicator, parts in self.rows:
            if "value" not in parts:
                continue
            name = parts["value"]
            text = (cleaned.get(name) or "").strip().replace("，", ".").replace(",", "")
            if not text:
                cleaned[name] = None
                continue
            try:
                value = Decimal(text)
                if not value.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                self.add_error(name, f"第 {indicator['seq']} 项（{indicator['name']}）：请填写数字。")
                continue
            if value < 0:
                self.add_error(name, f"第 {indicator['seq']} 项（{indicator['name']}）：不能为负数。")
                continue
            cleaned[name] = value
        return cleaned

    def answers(self) -> dict:
        """The cleaned form as scoring's answers (keyed by seq)."""
        out = {}
        for _, indicator, parts in self.rows:
            if not parts:
                continue
            answer = {"applicable": True, "value": None, "met": []}
            if "applicable" in parts:
                answer["applicable"] = bool(self.cleaned_data.get(parts["applicable"]))
            if "value" in parts:
                answer["value"] = self.cleaned_data.get(parts["value"])
            if "met" in parts:
                answer["met"] = list(self.cleaned_data.get(parts["met"]) or [])
            out[indicator["seq"]] = answer
        return out

    def confirmed_met(self) -> dict:
        return {indicator["seq"]: list(self.cleaned_data.get(parts["met"]) or [])
                for _, indicator, parts in self.rows if "met" in parts}


class BenchmarkContextForm(StyledFormMixin, forms.Form):
    """The system chosen and the water context (which decides the water indicators' target)."""

    system = forms.ModelChoiceField(IndicatorSystem.objects.none(), label="指标体系", required=False,
                                    empty_label="本行业无清洁生产评价指标体系（与同行业对比）")
    in_approved_park = forms.BooleanField(label=Benchmark._meta.get_field("in_approved_park").verbose_name,
                                          required=False)
    centralized_treatment = forms.BooleanField(
        label=Benchmark._meta.get_field("centralized_treatment").verbose_name, required=False)
    peer_comparison = forms.CharField(label="与同行业对比说明", required=False,
                                      widget=forms.Textarea(attrs={"rows": 4}),
                                      help_text="无指标体系时填写：对比的同行业企业（或行业数据）、主要指标及本企业所处水平")

    def __init__(self, *args, systems=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = systems if systems is not None else IndicatorSystem.objects.all()
        self.fields["system"].label_from_instance = (
            lambda system: f"{system.name}（第 {system.version} 版，{system.get_status_display()}）")


class ReviewForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    peer_reached = forms.TypedChoiceField(
        label="专家判断", required=False, widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        coerce=lambda value: value == "yes",
        choices=[("yes", "达到同行业国内先进水平"), ("no", "未达到同行业国内先进水平")])
    review_opinion = forms.CharField(label="审核意见（理由）", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    review_opinion = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 2}),
                                     error_messages={"required": "请填写退回理由。"})


class TargetForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = CampaignTarget
        fields = ["overall_level", "water_level_in_park", "water_level_outside", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="指标体系文件", help_text="Excel（.xlsx，版式同官方指标表）或 YAML（格式见“导入格式说明”）",
                           widget=forms.ClearableFileInput(attrs={"accept": UPLOAD_TYPES}),
                           error_messages={"required": "请选择要导入的文件。"})


class StatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label="状态", choices=IndicatorSystem.Status.choices)
