from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "qingshen.notices"
    label = "notices"
    verbose_name = "清审任务通知"

    def ready(self):
        from qingshen.notices import jobs  # noqa: F401  (registers the letter and scan job kinds)
