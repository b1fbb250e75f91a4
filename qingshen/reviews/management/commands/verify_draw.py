from django.core.management.base import BaseCommand, CommandError

from qingshen.reviews import draw as drawing
from qingshen.reviews.models import ExpertDraw


class Command(BaseCommand):
    help = "按记录复核专家抽取：用记录中的候选名单、回避规则、随机种子和算法版本重新抽取，看结果是否一致。"

    def add_arguments(self, parser):
        parser.add_argument("draw", nargs="*", type=int, help="抽取记录编号（不填则复核全部成功的抽取）")

    def handle(self, *args, **options):
        attempts = ExpertDraw.objects.filter(succeeded=True).order_by("pk")
        if options["draw"]:
            attempts = attempts.filter(pk__in=options["draw"])
        differing = 0
        for attempt in attempts:
            try:
                result = drawing.verify(attempt.record)
            except drawing.RecordError as exc:
                differing += 1
                self.stdout.write(f"抽取记录 {attempt.pk}：无法复核：{exc}")
                continue
            differing += not result.same
            self.stdout.write(f"抽取记录 {attempt.pk}（审核 {attempt.review_id} 第 {attempt.number} 次）：{result.message}")
        if differing:
            raise CommandError(f"{differing} 次抽取复核不一致或无法复核。")
