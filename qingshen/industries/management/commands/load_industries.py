from django.core.management.base import BaseCommand

from qingshen.industries.loader import load_industries
from qingshen.industries.models import Industry


class Command(BaseCommand):
    help = "按数据文件更新 GB/T 4754-2017 行业分类（幂等）。"

    def handle(self, *args, **options):
        self.stdout.write(f"行业分类已更新：{load_industries(Industry)} 条。")
