from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "qingshen.evidence"
    label = "evidence"
    verbose_name = "佐证材料"

    def ready(self):
        # The project itself carries the files that belong to no particular section
        # ("其他材料"); registered here so the projects app need not know about evidence.
        from qingshen.evidence import registry

        registry.register("projects.AuditProject", {"general": "其他材料"})
