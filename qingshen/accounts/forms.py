from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password

from qingshen.accounts.models import User, account_name_validator
from qingshen.core.context_processors import lockout_policy
from qingshen.core.forms import StyledFormMixin


class LoginForm(StyledFormMixin, AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        policy = lockout_policy()
        self.error_messages = {
            "invalid_login": f"登录账号或密码不正确。连续 {policy['failures']} 次失败，账号将被锁定 {policy['minutes']} 分钟。",
            "inactive": "该账号已停用，请联系本单位主账号或系统管理员。",
        }
        self.fields["username"].label = "登录账号"
        self.fields["username"].widget.attrs.update({"placeholder": "六位区划代码或告知书上的账号", "autofocus": True})
        self.fields["password"].label = "密码"

    def get_invalid_login_error(self):
        # Django's backends refuse a deactivated account as if the password were wrong. Whoever
        # knows the right password is told the account is deactivated instead, so they contact
        # their organisation rather than retry into a lockout; a wrong password learns nothing.
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if username and password:
            account = User.objects.filter(username=username, is_active=False).first()
            if account is not None and account.check_password(password):
                return forms.ValidationError(self.error_messages["inactive"], code="inactive")
        return super().get_invalid_login_error()


PASSWORD_RULES = "至少 10 个字符；包含大写字母、小写字母、数字、符号中的至少 3 类；不能包含登录账号，不能是常见密码或纯数字。"


class PasswordChangeForm(StyledFormMixin, forms.Form):
    old_password = forms.CharField(label="当前密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password1 = forms.CharField(label="新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label="确认新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PASSWORD_RULES

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError("当前密码不正确。")
        return value

    def clean(self):
        cleaned = super().clean()
        new1, new2 = cleaned.get("new_password1"), cleaned.get("new_password2")
        if new1 and new2 and new1 != new2:
            self.add_error("new_password2", "两次输入的新密码不一致。")
        elif new1:
            if cleaned.get("old_password") and new1 == cleaned["old_password"]:
                self.add_error("new_password1", "新密码不能与当前密码相同。")
            else:
                try:
                    validate_password(new1, self.user)
                except forms.ValidationError as exc:
                    self.add_error("new_password1", exc)
        return cleaned


class StaffAccountForm(StyledFormMixin, forms.Form):
    staff_suffix = forms.CharField(
        label="账号后缀", max_length=20,
        help_text="工作人员账号为“单位账号-后缀”，后缀可用姓名拼音，如 zhangsan",
        validators=[account_name_validator],
    )
    full_name = forms.CharField(label="姓名", max_length=100)
    mobile = forms.CharField(label="移动电话", max_length=20, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)


class ProfileForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "mobile", "email"]


class UnlockForm(StyledFormMixin, forms.Form):
    username = forms.CharField(label="登录账号", required=False)
    ip_address = forms.GenericIPAddressField(label="IP 地址", required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("username") and not cleaned.get("ip_address"):
            raise forms.ValidationError("请指定要解锁的账号或 IP 地址。")
        return cleaned
