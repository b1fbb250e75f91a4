from django.core.management.base import BaseCommand, CommandError

from qingshen.audit_trail.verify import verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链；发现被修改或删除的事件时以非零状态退出并指出第一条。"

    def handle(self, *args, **options):
        verdict = verify_chain()
        if not verdict.ok:
            raise CommandError(f"审计日志校验失败：{verdict.reason}（已校验 {verdict.checked} 条）")
        self.stdout.write(f"审计日志完整：共 {verdict.checked} 条事件，哈希链无误。")
