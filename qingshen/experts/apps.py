from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "qingshen.experts"
    label = "experts"
    verbose_name = "专家库"
