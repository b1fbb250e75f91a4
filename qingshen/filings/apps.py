from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "qingshen.filings"
    label = "filings"
    verbose_name = "工作过程痕迹"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_save

        from qingshen.filings import receivers

        post_save.connect(receivers.project_saved, sender=apps.get_model("projects", "AuditProject"),
                          dispatch_uid="filings.project_saved")
        post_save.connect(receivers.evidence_saved, sender=apps.get_model("evidence", "Evidence"),
                          dispatch_uid="filings.evidence_saved")
