from qingshen.core.menu import MenuEntry, MenuItem
from qingshen.core.roles import OFFICIAL_ROLES

ITEMS = [
    MenuEntry("统计分析", MenuItem("执法移交清单", "enforcement:list", "enforcement.view_enforcementlist",
                               roles=OFFICIAL_ROLES), 55),
]
