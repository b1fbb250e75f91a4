from django import forms

from qingshen.campaigns.models import Campaign
from qingshen.core.forms import StyledFormMixin
from qingshen.rosters.services import ATTESTATION

STAMPED_HINT = "PDF、JPG 或 PNG 文件（按文件内容检查，不看扩展名），单个文件不超过 20 MB"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the browser's multiple selection); cleans to a list."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        items = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if not items:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class IssueForm(StyledFormMixin, forms.Form):
    campaign = forms.ModelChoiceField(label="清审批次", queryset=Campaign.objects.none(), empty_label=None)

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].label_from_instance = lambda c: f"{c.name}（{c.document_number}）"


class OwnInfoForm(StyledFormMixin, forms.Form):
    """本级任务信息: what this level adds to the notice above it."""

    document_number = forms.CharField(label="文号", max_length=60, required=False,
                                      help_text="本级转发或印发通知的文号，如 (2021)—34")
    requirements = forms.CharField(label="通知要求", widget=forms.Textarea(attrs={"rows": 5}),
                                   help_text="本级对下级（或企业）提出的任务要求")
    contact_person = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="联系方式", max_length=50)
    attachments = MultipleFileField(label="通知文件", required=False,
                                    help_text="本级的通知文件（PDF、JPG、PNG），可一次选择多个")


class AttestForm(StyledFormMixin, forms.Form):
    """下发任务: the seed's attestation, which must be ticked."""

    attested = forms.BooleanField(label="我同意上述内容", required=True,
                                  error_messages={"required": "请先阅读并勾选“我同意上述内容”。"})
    attestation = ATTESTATION


class GenerateForm(forms.Form):
    """生成 / 重新生成 one letter; `revision` is what the page showed (0 = not generated yet)."""

    member = forms.IntegerField(widget=forms.HiddenInput)
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class StampedCopyForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="盖章版告知书", help_text=STAMPED_HINT,
                           error_messages={"required": "请选择盖章版告知书文件。",
                                           "empty": "上传的文件是空的，请重新选择。"})


class BatchDownloadForm(forms.Form):
    format = forms.ChoiceField(choices=[("zip", "ZIP"), ("pdf", "合并 PDF")], initial="zip")


class ScanUploadForm(StyledFormMixin, forms.Form):
    files = MultipleFileField(label="盖章件扫描", help_text="一个多页 PDF 扫描件，或多张 JPG/PNG 图片；系统读取每页的二维码，自动对应到企业",
                              error_messages={"required": "请选择要上传的盖章件。", "empty": "上传的文件是空的，请重新选择。"})


class AssignForm(StyledFormMixin, forms.Form):
    letter = forms.TypedChoiceField(label="对应的告知书", coerce=int, choices=())
    letter_page = forms.TypedChoiceField(label="页码", coerce=int, initial=1, required=False, empty_value=1,
                                         choices=[(1, "第 1 页"), (2, "第 2 页")])

    def __init__(self, *args, letters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["letter"].choices = [("", "请选择企业")] + [
            (letter.pk, f"{letter.number} {letter.member.enterprise.name}"
                        f"{'（已有盖章版，将替换）' if letter.has_current_stamped_copy else ''}")
            for letter in letters
        ]

