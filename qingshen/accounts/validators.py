"""Password rules beyond Django's: several character classes, and not the account name."""

import string

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """At least three of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。"


class NotAccountNameValidator:
    """The password may not contain the account name, nor be it reversed."""

    def validate(self, password, user=None):
        if user is None or not getattr(user, "username", ""):
            return
        name, lowered = user.username.lower(), password.lower()
        if name in lowered or name[::-1] in lowered:
            raise ValidationError(self.get_help_text(), code="password_contains_username")

    def get_help_text(self):
        return "密码不能包含登录账号。"
