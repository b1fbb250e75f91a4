"""The left menu, as data. Groups follow the seed's menu, in its order (任务管理, 业务办理,
接受清审任务, 项目启动, 统计分析, 系统管理, 帮助); an item shows when the user holds its
permission and has one of its roles, and a group shows when it has an item. Features add their
items here as they are built (业务办理, 接受清审任务, 项目启动 and 统计分析 come with the
campaign, audit-project, review and supervision features)."""

from dataclasses import dataclass, field

from django.urls import reverse

from qingshen.core.roles import Role


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    permission: str | None = None
    roles: frozenset[str] | None = None

    def visible_to(self, user) -> bool:
        if self.roles is not None and user.role not in self.roles:
            return False
        return self.permission is None or user.has_perm(self.permission)


@dataclass(frozen=True)
class MenuGroup:
    label: str
    icon: str
    items: tuple[MenuItem, ...] = field(default_factory=tuple)


NOT_ENTERPRISE = frozenset(r for r in Role if r != Role.ENTERPRISE)

MENU = (
    MenuGroup("任务管理", "list-check", (
        MenuItem("企业名录", "enterprises:list", "enterprises.view_enterprise", roles=NOT_ENTERPRISE),
        MenuItem("导入企业", "enterprises:import", "enterprises.import_enterprise"),
    )),
    MenuGroup("系统管理", "settings", (
        MenuItem("本企业信息", "enterprises:list", "enterprises.view_enterprise", roles=frozenset({Role.ENTERPRISE})),
        MenuItem("账号管理", "accounts:list", "accounts.manage_staff"),
        MenuItem("单位管理", "organizations:list", "organizations.view_organization"),
        MenuItem("审计日志", "audit_trail:list", "audit_trail.view_event"),
        MenuItem("登录锁定", "accounts:lockouts", "accounts.unlock_account"),
        MenuItem("行政区划", "regions:list"),
        MenuItem("行业分类", "industries:list"),
        MenuItem("导出文件", "jobs:list"),
    )),
    MenuGroup("帮助", "help", (MenuItem("使用帮助", "core:help"),)),
)


def menu_for(user, current_path: str):
    """[(group, [(item, url, active)])] for the groups with at least one visible item."""
    groups = []
    for group in MENU:
        entries = []
        for item in group.items:
            if item.visible_to(user):
                url = reverse(item.url_name)
                entries.append((item, url, current_path.startswith(url)))
        if entries:
            groups.append((group, entries))
    return groups
