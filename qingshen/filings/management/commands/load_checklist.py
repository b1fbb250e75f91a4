from django.core.management.base import BaseCommand

from qingshen.filings.checklist import load_default


class Command(BaseCommand):
    help = "按 qingshen/filings/data/default_checklist.csv 更新默认痕迹清单（幂等；各批次自己的清单不变，已提交的阶段不受影响）。"

    def handle(self, *args, **options):
        self.stdout.write(f"默认痕迹清单已更新：{load_default()} 项。")
