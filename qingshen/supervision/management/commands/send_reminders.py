from django.core.management.base import BaseCommand

from qingshen.supervision import reminders


class Command(BaseCommand):
    help = "每日督办：到期前提醒（7、3、1 天）和逾期通知（每周一次），站内消息并短信通知企业项目负责人；重复运行不重复发送。"

    def handle(self, *args, **options):
        counts = reminders.run()
        self.stdout.write(f"到期提醒 {counts['reminders']} 条，逾期通知 {counts['overdue']} 条。")
