from django.apps import AppConfig


class PermitsConfig(AppConfig):
    name = "qingshen.permits"
    label = "permits"
    verbose_name = "排污许可联动"
