"""The hand-over form (移交执法部门). Its hidden token is made when the form is first shown and
kept through a re-render, so a double click — or a resubmission after an error — is recognised
by the service (`services.record_handover`)."""

import uuid

from django import forms
from django.utils import timezone

from qingshen.enforcement.models import CATEGORY_CHOICES


class HandoverForm(forms.Form):
    category = forms.ChoiceField(label="移交类别", choices=CATEGORY_CHOICES,
                                 error_messages={"required": "请选择移交类别。",
                                                 "invalid_choice": "移交类别“%(value)s”不存在，请重新选择。"})
    recipient = forms.CharField(label="接收单位", max_length=200, help_text="如 保定市生态环境综合执法支队",
                                error_messages={"required": "请填写接收单位（如 保定市生态环境综合执法支队）。",
                                                "max_length": "接收单位不能超过 200 个字。"})
    handed_on = forms.DateField(label="移交日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                error_messages={"required": "请填写移交日期。",
                                                "invalid": "移交日期格式不正确，请按 2022-03-01 的格式填写。"})
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="可填写移交文号、方式等")
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handed_on"].initial = timezone.localdate()
        self.fields["form_token"].initial = uuid.uuid4().hex
        for name, field in self.fields.items():
            if name != "form_token":
                css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
                field.widget.attrs.setdefault("class", css)
