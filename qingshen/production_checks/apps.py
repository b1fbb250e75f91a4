from django.apps import AppConfig


class ProductionChecksConfig(AppConfig):
    name = "qingshen.production_checks"
    label = "production_checks"
    verbose_name = "投产复产核查"
