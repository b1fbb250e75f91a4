from qingshen.core.menu import MenuEntry, MenuItem
from qingshen.core.roles import OFFICIAL_ROLES, Role

ITEMS = [
    MenuEntry("统计分析", MenuItem("统计看板", "supervision:dashboard", "projects.view_auditproject",
                               roles=OFFICIAL_ROLES), 5),
    MenuEntry("统计分析", MenuItem("时间节点督办", "supervision:due", "campaigns.view_campaign",
                               roles=OFFICIAL_ROLES | {Role.PERMIT_AUTHORITY}), 10),
    MenuEntry("业务办理", MenuItem("待办事项", "supervision:due", "campaigns.view_campaign",
                               roles=frozenset({Role.ENTERPRISE, Role.CONSULTANCY})), 2),
]
