"""Forms of the permit pages: they only collect input; the services judge it (so the pages and
the API refuse the same things with the same words)."""

from django import forms

from qingshen.core.forms import StyledFormMixin


class ChangeForm(StyledFormMixin, forms.Form):
    changed_on = forms.DateField(label="变更日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 error_messages={"required": "请填写变更日期。", "invalid": "变更日期格式不对，应为 年-月-日。"})
    permit_number = forms.CharField(label="排污许可证编号", max_length=40,
                                    error_messages={"required": "请填写排污许可证编号。"})
    requirement = forms.CharField(label="列入的环境管理要求", widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                  help_text="写入许可证“环境管理要求”的原文；留空则按本批次的验收期限生成。")
    file = forms.FileField(label="变更后的许可证页面", required=False,
                           help_text="PDF、JPG 或 PNG；更正时不上传则沿用当前文件。")
    note = forms.CharField(label="备注", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReportForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 4}), required=False,
                           help_text="有企业未变更许可证时，请说明未变更的原因。")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    digest = forms.CharField(widget=forms.HiddenInput, required=False)


class ReturnForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="退回原因", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写退回原因。"})
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
