"""The level's text (four parts, each required only to submit: a draft may be saved half
written) and the receiving level's reason for a return."""

from django import forms

from qingshen.summaries.models import TEXT_FIELDS

_HINTS = {
    "progress": "本地开展清洁生产审核工作的组织、推进情况，组织评估、验收的情况",
    "achievements": "企业实施无低费、中高费方案取得的经济效益和环境效益（数据见下方系统统计）",
    "problems": "工作中存在的问题和困难",
    "next_steps": "下一步工作打算和建议",
}


class SummaryForm(forms.Form):
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, heading in TEXT_FIELDS:
            self.fields[name] = forms.CharField(
                label=heading, required=False, help_text=_HINTS[name], max_length=20000,
                widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
                error_messages={"max_length": f"“{heading}”不能超过 %(limit_value)d 字（现有 %(show_value)d 字）。"})


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回原因", max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                             error_messages={"required": "请填写退回原因。"})
