"""The left menu, as data. Groups follow the seed's menu, in its order (任务管理, 业务办理,
接受清审任务, 项目启动, 统计分析, 系统管理, 帮助); an item shows when the user holds its
permission and has one of its roles, and a group shows when it has an item.

Apps add their items in their own `menu.py`: `ITEMS = [MenuEntry("任务管理", MenuItem(...), 20)]`
(the number orders items within a group), so features do not all edit this file.
"""

import importlib
from dataclasses import dataclass
from functools import cache

from django.apps import apps
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


@dataclass(frozen=True)
class MenuEntry:
    group: str
    item: MenuItem
    order: int = 50


GROUPS = (
    MenuGroup("任务管理", "list-check"),
    MenuGroup("业务办理", "briefcase"),
    MenuGroup("接受清审任务", "mail-opened"),
    MenuGroup("项目启动", "rocket"),
    MenuGroup("统计分析", "chart-bar"),
    MenuGroup("系统管理", "settings"),
    MenuGroup("帮助", "help"),
)

NOT_ENTERPRISE = frozenset(r for r in Role if r != Role.ENTERPRISE)

ITEMS = [
    MenuEntry("任务管理", MenuItem("企业名录", "enterprises:list", "enterprises.view_enterprise", roles=NOT_ENTERPRISE), 80),
    MenuEntry("任务管理", MenuItem("导入企业", "enterprises:import", "enterprises.import_enterprise"), 90),
    MenuEntry("系统管理", MenuItem("本企业信息", "enterprises:list", "enterprises.view_enterprise",
                               roles=frozenset({Role.ENTERPRISE})), 10),
    MenuEntry("系统管理", MenuItem("账号管理", "accounts:list", "accounts.manage_staff"), 20),
    MenuEntry("系统管理", MenuItem("单位管理", "organizations:list", "organizations.view_organization"), 30),
    MenuEntry("系统管理", MenuItem("审计日志", "audit_trail:list", "audit_trail.view_event"), 40),
    MenuEntry("系统管理", MenuItem("登录锁定", "accounts:lockouts", "accounts.unlock_account"), 50),
    MenuEntry("系统管理", MenuItem("行政区划", "regions:list"), 60),
    MenuEntry("系统管理", MenuItem("行业分类", "industries:list"), 70),
    MenuEntry("系统管理", MenuItem("导出文件", "jobs:list"), 80),
    MenuEntry("帮助", MenuItem("使用帮助", "core:help"), 10),
]


@cache
def all_entries() -> tuple[MenuEntry, ...]:
    """This module's items and every app's `menu.ITEMS`, in group then item order."""
    entries = list(ITEMS)
    for config in apps.get_app_configs():
        if config.name.startswith("qingshen.") and config.name != "qingshen.core":
            try:
                module = importlib.import_module(f"{config.name}.menu")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.menu":
                    raise
                continue
            entries.extend(module.ITEMS)
    known = {group.label for group in GROUPS}
    unknown = {entry.group for entry in entries} - known
    if unknown:
        raise ValueError(f"菜单分组不存在：{unknown}")
    return tuple(sorted(entries, key=lambda e: e.order))


def menu_for(user, current_path: str):
    """[(group, [(item, url, active)])] for the groups with at least one visible item; the
    active item is the one whose address is the longest prefix of the current path."""
    visible = [(entry, reverse(entry.item.url_name)) for entry in all_entries() if entry.item.visible_to(user)]
    matches = [url for _, url in visible if current_path.startswith(url)]
    active_url = max(matches, key=len) if matches else None
    groups = []
    for group in GROUPS:
        entries = [(entry.item, url, url == active_url) for entry, url in visible if entry.group == group.label]
        if entries:
            groups.append((group, entries))
    return groups
