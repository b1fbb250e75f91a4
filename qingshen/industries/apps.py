from django.apps import AppConfig


class IndustriesConfig(AppConfig):
    name = "qingshen.industries"
    label = "industries"
    verbose_name = "国民经济行业分类"
