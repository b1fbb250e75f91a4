from django.core.management.base import BaseCommand

from qingshen.demo.loader import load_demo


class Command(BaseCommand):
    help = ("载入演示数据：保定市 77 家白洋淀流域第二批涉水企业、清审批次〔2021〕—392（草稿）及省级和保定市的时间节点，"
            "以及省、保定市及其各区县、一家企业的账号。")

    def add_arguments(self, parser):
        parser.add_argument("--reset-passwords", action="store_true", help="为已有的演示账号重新生成一次性初始密码")
        parser.add_argument("--address", default="http://127.0.0.1:8000/", help="登录地址（仅用于提示）")

    def handle(self, *args, reset_passwords=False, address="", **options):
        accounts, created, demo = load_demo(reset_passwords=reset_passwords)
        self.stdout.write(f"演示数据已就绪：本次新增企业 {created} 家。")
        campaign = demo.campaign
        self.stdout.write(
            f"清审批次：{campaign.document_number} {campaign.name}（{campaign.get_status_display()}）"
            f"{'，本次新建' if demo.created else ''}；本次加入名单 {demo.members_added} 家，"
            f"设定时间节点 {len(demo.milestones_set)} 个。")
        self.stdout.write(f"登录地址：{address}accounts/login/   （首次登录须修改初始密码）")
        self.stdout.write(f"{'登录账号':<16}{'一次性初始密码':<18}单位")
        for account in accounts:
            password = account.password or "（沿用已设置的密码）"
            self.stdout.write(f"{account.username:<20}{password:<20}{account.name}")
        if any(a.password is None for a in accounts):
            self.stdout.write("忘记密码时，运行 manage.py load_demo --reset-passwords 重新生成。")
