from django.apps import AppConfig


class AuditDataConfig(AppConfig):
    name = "qingshen.audit_data"
    label = "audit_data"
    verbose_name = "审核数据"

    def ready(self):
        # The filings checklist asks "is this table filled?" through its registry, without
        # importing this app: register each table's row count and page here.
        from qingshen.audit_data.specs import register_with_filings

        register_with_filings()
