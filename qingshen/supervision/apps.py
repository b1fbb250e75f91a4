from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "qingshen.supervision"
    label = "supervision"
    verbose_name = "督办"
