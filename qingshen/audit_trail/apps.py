from django.apps import AppConfig


class AuditTrailConfig(AppConfig):
    name = "qingshen.audit_trail"
    label = "audit_trail"
    verbose_name = "审计日志"
