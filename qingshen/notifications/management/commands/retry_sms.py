from django.core.management.base import BaseCommand

from qingshen.notifications.services import MAX_ATTEMPTS, requeue_sms


class Command(BaseCommand):
    help = (f"重新发送失败的短信（已尝试少于 {MAX_ATTEMPTS} 次的）以及滞留未发的短信，由后台任务发送。"
            "号码格式错误的短信不会重发。可每小时运行一次。")

    def handle(self, *args, **options):
        ids = requeue_sms()
        if ids:
            self.stdout.write(f"已重新排队 {len(ids)} 条短信。")
        else:
            self.stdout.write("没有需要重新发送的短信。")
