from django import forms

from qingshen.applications.models import Application


class ApplicationForm(forms.ModelForm):
    """申请表. Nothing is required to 保存 (a draft may be half-filled); 提交 checks the rest."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirm_late = forms.BooleanField(label="确认逾期提交", required=False)

    class Meta:
        model = Application
        fields = ["contact_person", "contact_phone", "audit_started_on", "audit_finished_on", "summary", "statement"]
        widgets = {
            "audit_started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "audit_finished_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "statement": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = False
            if name != "confirm_late":
                field.widget.attrs.setdefault("class", "form-control")
        if not self.is_bound:
            self.initial["version"] = self.instance.version if self.instance.pk else 0
