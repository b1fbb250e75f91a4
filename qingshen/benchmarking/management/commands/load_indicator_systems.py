from django.core.management.base import BaseCommand

from qingshen.benchmarking import shipped
from qingshen.benchmarking.models import IndicatorSystem
from qingshen.industries.models import Industry


class Command(BaseCommand):
    help = "载入随系统提供的清洁生产评价指标体系（内容未变的不重复载入）。"

    def handle(self, *args, **options):
        added = shipped.load(IndicatorSystem, Industry)
        for system in added:
            self.stdout.write(f"已载入 {system}（{system.get_status_display()}）")
        if not added:
            self.stdout.write("指标体系均已是最新，未载入新版本。")
