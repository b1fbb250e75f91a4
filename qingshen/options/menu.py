from qingshen.core.menu import MenuEntry, MenuItem
from qingshen.core.roles import OFFICIAL_ROLES, Role

ITEMS = [
    # The enterprise side reaches its project's ledger (one project: straight there).
    MenuEntry("业务办理", MenuItem("方案台账", "options:index", "options.view_option",
                               roles=frozenset({Role.ENTERPRISE, Role.CONSULTANCY})), 40),
    MenuEntry("统计分析", MenuItem("方案汇总", "options:summary", "options.view_option", roles=OFFICIAL_ROLES), 40),
]
