from qingshen.core.menu import MenuEntry, MenuItem
from qingshen.core.roles import Role

ITEMS = [
    MenuEntry("项目启动", MenuItem("项目启动", "project_start:list", "project_start.view_projectstart",
                               roles=frozenset({Role.ENTERPRISE, Role.CONSULTANCY})), 10),
]
