from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "qingshen.accounts"
    label = "accounts"
    verbose_name = "账号"

    def ready(self):
        from qingshen.accounts import signals  # noqa: F401  (sign-in events → audit trail)
