"""Forms of the review pages. Each carries the review's `version`, so an act on a page that is
no longer current is refused instead of overwriting someone else's."""

import datetime

from django import forms

from qingshen.core.forms import StyledFormMixin
from qingshen.reviews import steps as review_steps
from qingshen.reviews.models import Conclusion

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionMixin(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class IntakeForm(StyledFormMixin, VersionMixin):
    """Per step: 无误 or the problem. Built from the stage's steps."""

    def __init__(self, *args, stage: str, checks: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = review_steps.steps_of(stage)
        checks = checks or {}
        for code, label in self.steps:
            current = checks.get(code)
            self.fields[f"{code}__ok"] = forms.TypedChoiceField(
                label=label, choices=[("1", "无误"), ("0", "有问题")], widget=forms.RadioSelect(
                    attrs={"class": "form-check-input"}), coerce=lambda value: value == "1", required=False,
                initial=None if current is None else ("1" if current.ok else "0"))
            self.fields[f"{code}__problem"] = forms.CharField(
                label=f"{label}存在的问题", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                initial=current.problem if current else "")

    def rows(self):
        return [(code, label, self[f"{code}__ok"], self[f"{code}__problem"]) for code, label in self.steps]

    def checks(self) -> dict:
        """{step: (ok, problem)} for the steps the reviewer answered."""
        out = {}
        for code, _ in self.steps:
            raw = self.data.get(self.add_prefix(f"{code}__ok"))
            if raw in ("0", "1"):
                out[code] = (raw == "1", self.cleaned_data.get(f"{code}__problem", ""))
        return out


class DrawForm(StyledFormMixin, forms.Form):
    size = forms.TypedChoiceField(label="专家组人数", choices=[(3, "3 人"), (5, "5 人"), (7, "7 人")], coerce=int,
                                  initial=5)
    leader = forms.BooleanField(label="设组长", required=False, initial=True)
    min_industry = forms.IntegerField(label="行业专家至少", min_value=0, max_value=7, initial=1,
                                      help_text="熟悉企业所属行业（大类）的专家人数下限")
    min_cleaner_production = forms.IntegerField(label="清洁生产专家至少", min_value=0, max_value=7, initial=1)
    min_energy = forms.IntegerField(label="节能专家至少", min_value=0, max_value=7, initial=0)
    min_environment = forms.IntegerField(label="环保专家至少", min_value=0, max_value=7, initial=0)
    min_process = forms.IntegerField(label="行业工艺专家至少", min_value=0, max_value=7, initial=0)
    exclude_previous_stage_reviewers = forms.BooleanField(label="回避参加过本企业评估审核的专家", required=False)
    reason = forms.CharField(label="说明（重新抽取时填写原因）", required=False, max_length=500)

    def clean(self):
        cleaned = super().clean()
        size = cleaned.get("size") or 0
        minimums = ("min_industry", "min_cleaner_production", "min_energy", "min_environment", "min_process")
        if any((cleaned.get(name) or 0) > size for name in minimums):
            raise forms.ValidationError("专业要求的人数不能超过专家组人数。")
        return cleaned


class DeclineForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="谢绝原因", max_length=300, error_messages={"required": "请填写谢绝原因。"})


class OpinionForm(StyledFormMixin, forms.Form):
    opinion = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 6}),
                              error_messages={"required": "请填写审核意见。"})

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"score_{item.pk}"] = forms.IntegerField(
                label=f"{item.title}（{item.max_score} 分）", min_value=0, max_value=item.max_score,
                error_messages={"required": f"请为“{item.title}”打分。"})

    def scores(self) -> dict:
        return {str(item.pk): self.cleaned_data.get(f"score_{item.pk}") for item in self.items}


class CompileForm(StyledFormMixin, VersionMixin):
    text = forms.CharField(label="专家组意见", widget=forms.Textarea(attrs={"rows": 8}),
                           error_messages={"required": "请填写专家组意见。"})


class SiteVisitForm(StyledFormMixin, VersionMixin):
    visited_on = forms.DateField(label="现场审核日期", widget=DATE, error_messages={"required": "请填写现场审核日期。"})
    place = forms.CharField(label="地点", max_length=200, error_messages={"required": "请填写地点。"})
    present = forms.TypedMultipleChoiceField(label="到场专家", coerce=int, widget=forms.CheckboxSelectMultiple(
        attrs={"class": "form-check-input"}), error_messages={"required": "请选择到场的专家。"})
    checked = forms.CharField(label="核查内容", widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": "请填写核查内容。"})
    findings = forms.CharField(label="发现的问题", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    rectification = forms.CharField(
        label="整改要求", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一条：整改内容｜期限（如：完善用水计量台账｜2022-04-30）")

    def __init__(self, *args, assignments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(a.pk, f"{a.expert.name}（{a.get_role_display()}）") for a in assignments]

    def clean_rectification(self):
        items = []
        for number, line in enumerate((self.cleaned_data.get("rectification") or "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            text, _, when = line.replace("|", "｜").rpartition("｜")
            try:
                deadline = datetime.date.fromisoformat(when.strip())
            except ValueError:
                raise forms.ValidationError(f"第 {number} 行：请按“整改内容｜YYYY-MM-DD”写明期限。") from None
            if not text.strip():
                raise forms.ValidationError(f"第 {number} 行：请写明整改内容。")
            items.append((text.strip(), deadline))
        return items


class DecisionForm(StyledFormMixin, VersionMixin):
    conclusion = forms.ChoiceField(label="审核结论", choices=Conclusion.choices, widget=forms.RadioSelect(
        attrs={"class": "form-check-input"}), error_messages={"required": "请选择审核结论。"})
    opinion = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 5}),
                              error_messages={"required": "请填写审核意见。"})
    rectify_by = forms.DateField(label="整改后重新提交期限", required=False, widget=DATE)
    acceptance_deadline = forms.DateField(label="验收期限（评估通过时）", required=False, widget=DATE,
                                          help_text="不填则按本批次的验收时间节点")
