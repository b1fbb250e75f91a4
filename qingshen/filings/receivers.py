"""Keeping the filings in step with what happens elsewhere, without those apps knowing:

- an audit project, when created (the enterprise accepts its task), gets its nine phase
  filings, so every page, the API and the progress overview find them;
- the first file attached to a phase moves it from 未开始 to 填报中, attributed to the uploader.
"""

from django.contrib.contenttypes.models import ContentType


def project_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from qingshen.filings import services

        services.ensure_filings(instance)


def evidence_saved(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    from qingshen.filings import services
    from qingshen.filings.models import PhaseFiling

    if instance.owner_type_id != ContentType.objects.get_for_model(PhaseFiling).pk:
        return
    services.start(instance.owner_id, instance.uploaded_by, reason=f"上传“{instance.display_name}”")
