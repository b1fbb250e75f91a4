"""The permit authority finds its two pages under 业务办理 (the menu's groups are fixed by the
seed); officials read the list and the reports under 统计分析."""

from qingshen.core.menu import MenuEntry, MenuItem
from qingshen.core.roles import OFFICIAL_ROLES, Role

AUTHORITY = frozenset({Role.PERMIT_AUTHORITY})

ITEMS = [
    MenuEntry("业务办理", MenuItem("排污许可证变更", "permits:list", "permits.change_permitchange", roles=AUTHORITY), 60),
    MenuEntry("业务办理", MenuItem("许可变更情况报送", "permits:report", "permits.submit_permitreport",
                               roles=AUTHORITY), 61),
    MenuEntry("统计分析", MenuItem("排污许可证变更", "permits:list", "permits.view_permitchange",
                               roles=OFFICIAL_ROLES), 60),
    MenuEntry("统计分析", MenuItem("许可变更情况报送", "permits:received", "permits.return_permitreport",
                               roles=OFFICIAL_ROLES), 61),
    MenuEntry("业务办理", MenuItem("排污许可证变更", "permits:list", "permits.view_permitchange",
                               roles=frozenset({Role.ENTERPRISE})), 60),
]
