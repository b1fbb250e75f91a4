from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "qingshen.campaigns"
    label = "campaigns"
    verbose_name = "清审批次"
