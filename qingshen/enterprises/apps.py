from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "qingshen.enterprises"
    label = "enterprises"
    verbose_name = "企业名录"

    def ready(self):
        from qingshen.enterprises import exporting  # noqa: F401  (registers the export job kind)
