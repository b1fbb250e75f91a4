from qingshen.core.menu import MenuEntry, MenuItem
from qingshen.core.roles import OFFICIAL_ROLES, Role

ITEMS = [
    MenuEntry("业务办理", MenuItem("工作过程痕迹", "filings:progress", "filings.view_phasefiling",
                               roles=frozenset({Role.ENTERPRISE, Role.CONSULTANCY})), 10),
    MenuEntry("业务办理", MenuItem("痕迹填报进度", "filings:progress", "filings.view_phasefiling",
                               roles=OFFICIAL_ROLES), 40),
    MenuEntry("系统管理", MenuItem("痕迹清单", "filings:checklists", "filings.change_checklist",
                               roles=frozenset({Role.PROVINCE, Role.SYSADMIN})), 75),
]
