from django import forms

from qingshen.core.forms import StyledFormMixin
from qingshen.filings import tables
from qingshen.filings.models import ItemKind, Phase


class SubmitForm(forms.Form):
    """提交: the version the page showed, so a second click or a stale page is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ChecklistItemForm(StyledFormMixin, forms.Form):
    """增加 / 修改清单项. The phase is chosen when adding only (files already filed under an item
    stay with its phase); the service checks everything again, in its words."""

    phase = forms.ChoiceField(label="阶段", choices=Phase.choices)
    title = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=ItemKind.choices,
                             help_text="照片：须上传图片；文档：任意佐证文件；数据表：在对应数据表中填写")
    table_code = forms.ChoiceField(label="数据表", required=False, help_text="类型为数据表时选择")
    required = forms.BooleanField(label="必填（提交本阶段前必须完成）", required=False, initial=True)
    guidance = forms.CharField(label="填报说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table_code"].choices = [("", "—"), *tables.choices()]
        if editing:
            del self.fields["phase"]

    def clean(self):
        data = super().clean()
        if data.get("kind") == ItemKind.TABLE and not data.get("table_code"):
            self.add_error("table_code", "类型为数据表时，请选择数据表。")
        return data
