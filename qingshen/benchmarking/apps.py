from django.apps import AppConfig


class BenchmarkingConfig(AppConfig):
    name = "qingshen.benchmarking"
    label = "benchmarking"
    verbose_name = "对标"

    def ready(self):
        """Tell the filings app's checklist how to count the benchmarking of each stage
        (对标（审核前）in 预审核, 对标（实施后）in 方案的实施) and where it is filled in."""
        from django.urls import reverse

        from qingshen.benchmarking.models import Benchmark
        from qingshen.filings import tables

        def recorded(stage):
            return lambda project: Benchmark.objects.filter(project=project, stage=stage,
                                                            recorded_at__isnull=False).count()

        def page(stage):
            return lambda project: f"{reverse('benchmarking:project', args=[project.pk])}#{stage}"

        tables.register("benchmark_before", "对标（审核前）", rows=recorded(Benchmark.Stage.BEFORE),
                        url=page(Benchmark.Stage.BEFORE))
        tables.register("benchmark_after", "对标（实施后）", rows=recorded(Benchmark.Stage.AFTER),
                        url=page(Benchmark.Stage.AFTER))
