from django.apps import AppConfig


class SummariesConfig(AppConfig):
    name = "qingshen.summaries"
    label = "summaries"
    verbose_name = "工作总结"
