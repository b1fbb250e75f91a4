from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "qingshen.enforcement"
    label = "enforcement"
    verbose_name = "执法移交"

    def ready(self):
        from qingshen.enforcement import export  # noqa: F401  (registers the export job kind)
