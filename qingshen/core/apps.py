from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qingshen.core"
    label = "core"
    verbose_name = "基础"
