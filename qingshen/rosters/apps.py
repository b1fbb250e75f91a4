from django.apps import AppConfig


class RostersConfig(AppConfig):
    name = "qingshen.rosters"
    label = "rosters"
    verbose_name = "名单核定"
