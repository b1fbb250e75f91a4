from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "qingshen.applications"
    label = "applications"
    verbose_name = "评估、验收申请"
