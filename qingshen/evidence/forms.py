"""The small forms of the evidence panel. Only parsing lives here; every rule (type by
content, size, duplicates, locks, permission) is the service's, so the page and the API
refuse with the same words."""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"


class UploadForm(forms.Form):
    owner_type = forms.CharField(widget=forms.HiddenInput, error_messages={"required": "缺少材料所属对象。"})
    owner_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1,
                                  error_messages={"required": "缺少材料所属对象。", "invalid": "材料所属对象无效。"})
    slot = forms.CharField(widget=forms.HiddenInput, required=False)
    label = forms.CharField(widget=forms.HiddenInput, required=False)
    # allow_empty_file: the service refuses an empty file in the same words as the API.
    file = forms.FileField(label="文件", allow_empty_file=True, error_messages={"required": "请选择要上传的文件。"})
    title = forms.CharField(label="标题", max_length=200, required=False)
    document_date = forms.DateField(label="文件日期", required=False, widget=DateInput,
                                    help_text="文件上所载的日期（如报告日期、监测日期）",
                                    error_messages={"invalid": "请填写正确的日期，如 2022-01-15。"})


class ReplaceForm(forms.Form):
    file = forms.FileField(label="新版本文件", allow_empty_file=True,
                           error_messages={"required": "请选择新版本的文件。"})
    document_date = forms.DateField(label="文件日期", required=False, widget=DateInput,
                                    help_text="不填则沿用上一版的文件日期",
                                    error_messages={"invalid": "请填写正确的日期，如 2022-01-15。"})
