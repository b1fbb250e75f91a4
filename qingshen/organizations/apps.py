from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "qingshen.organizations"
    label = "organizations"
    verbose_name = "单位"
