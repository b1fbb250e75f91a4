from django.apps import AppConfig


class OptionsConfig(AppConfig):
    name = "qingshen.options"
    label = "options"
    verbose_name = "清洁生产方案"

    def ready(self):
        """Tell the filings app's checklist how to count this app's tables (方案台账 and the
        feasibility analyses of 中高费 options) and where they are filled in."""
        from django.urls import reverse

        from qingshen.filings import tables
        from qingshen.options.models import Feasibility, Option

        def ledger_url(project):
            return reverse("options:ledger", args=[project.pk])

        tables.register("options", "方案台账", rows=lambda project: Option.objects.filter(project=project).count(),
                        url=ledger_url)
        tables.register(
            "feasibility", "中高费方案可行性分析",
            rows=lambda project: Feasibility.objects.filter(
                option__project=project, option__cost_class=Option.CostClass.HIGH).count(),
            url=lambda project: f"{ledger_url(project)}?cost_class={Option.CostClass.HIGH}")
