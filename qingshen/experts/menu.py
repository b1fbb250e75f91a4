from qingshen.core.menu import MenuEntry, MenuItem
from qingshen.core.roles import Role

ITEMS = [
    # The province keeps its pool and sees the cities'; each city keeps its own.
    MenuEntry("系统管理", MenuItem("专家库", "experts:list", "experts.view_expert",
                               roles=frozenset({Role.PROVINCE, Role.CITY})), 35),
]
