from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "qingshen.enforcement"
    label = "enforcement"
    verbose_name = "执法移交"
