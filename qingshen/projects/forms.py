from django import forms
from django.core.exceptions import ValidationError

from qingshen.accounts.forms import PASSWORD_RULES
from qingshen.core.forms import StyledFormMixin
from qingshen.projects.services import validate_mobile


class ActivationForm(StyledFormMixin, forms.Form):
    """激活账号: the account and code from the letter, and the new password twice."""

    username = forms.CharField(label="登录账户", max_length=150,
                               help_text="见《强制性清洁生产审核事项告知书》第 6 项，如 QY130681xxxx")
    code = forms.CharField(label="激活码", max_length=40, help_text="告知书上印制的一次性激活码，如 ABCD-EFGH-JKLM")
    new_password1 = forms.CharField(label="新密码", help_text=PASSWORD_RULES,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label="确认新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["code"].widget.attrs.update({"autocomplete": "off", "style": "text-transform: uppercase"})

    def clean(self):
        cleaned = super().clean()
        new1, new2 = cleaned.get("new_password1"), cleaned.get("new_password2")
        if new1 and new2 and new1 != new2:
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return cleaned


class AcceptForm(StyledFormMixin, forms.Form):
    """接受清审任务: 企业项目负责人 and a mobile that can receive SMS."""

    project_lead = forms.CharField(label="企业项目负责人", max_length=50)
    project_lead_mobile = forms.CharField(label="移动电话（可接受短信）", max_length=20,
                                          help_text="11 位手机号码，用于接收工作联系短信")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project_lead_mobile"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean_project_lead(self):
        value = self.cleaned_data["project_lead"].strip()
        if not value:
            raise ValidationError("请填写项目负责人。")
        return value

    def clean_project_lead_mobile(self):
        try:
            return validate_mobile(self.cleaned_data["project_lead_mobile"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["project_lead_mobile"]) from exc
