from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "qingshen.supervision"
    label = "supervision"
    verbose_name = "督办"

    def ready(self):
        from qingshen.supervision import exporting  # noqa: F401  (registers the list export job kind)
