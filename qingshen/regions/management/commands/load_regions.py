from django.core.management.base import BaseCommand

from qingshen.regions.loader import load_regions
from qingshen.regions.models import Region


class Command(BaseCommand):
    help = "按数据文件更新行政区划树（幂等）。"

    def handle(self, *args, **options):
        count = load_regions(Region)
        self.stdout.write(f"行政区划已更新：{count} 个。")
