from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from qingshen.accounts.models import User
from qingshen.accounts.services import create_sysadmin, reissue_sysadmin_password


class Command(BaseCommand):
    help = "创建系统管理员账号（或用 --reset 为其重新生成一次性初始密码），密码只显示一次。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--full-name", default="系统管理员")
        parser.add_argument("--reset", action="store_true", help="为已有的系统管理员重新生成一次性初始密码")

    def handle(self, *args, username, full_name, reset, **options):
        try:
            if reset:
                user = User.objects.filter(username=username).first()
                if user is None:
                    raise CommandError(f"账号 {username} 不存在。")
                password = reissue_sysadmin_password(user)
            else:
                _, password = create_sysadmin(username, full_name)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"账号：{username}\n一次性初始密码：{password}\n首次登录须修改密码。")
