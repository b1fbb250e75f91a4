"""The left menu, as data: groups follow the seed's menu (任务管理, 业务办理, 接受清审任务,
项目启动, 统计分析, 系统管理, 帮助); an item shows when the user holds its permission (or
has one of its roles). Features add their items here as they are built."""

from dataclasses import dataclass, field

from django.urls import reverse


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


MENU = (
    MenuGroup("企业管理", "building-factory-2", (
        MenuItem("企业名录", "enterprises:list", "enterprises.view_enterprise"),
        MenuItem("导入企业", "enterprises:import", "enterprises.import_enterprise"),
    )),
    MenuGroup("系统管理", "settings", (
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
